package io.etcdkit.bench;

import java.util.List;

/** Runs one workload on every client of the run and returns the report's rows for it. */
interface WorkloadBench {
    List<Result> run(Workload workload, BenchContext ctx) throws Exception;
}
