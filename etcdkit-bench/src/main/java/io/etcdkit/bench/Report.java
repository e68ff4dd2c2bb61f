package io.etcdkit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The final table (per workload and client, plus etcdkit/jetcd ratios) and the CSV file. */
final class Report {

    private Report() {
    }

    /** The result of a workload and client. */
    static Optional<Result> find(List<Result> results, Workload w, String client) {
        return results.stream().filter(r -> r.workload() == w && r.client().equals(client)).findFirst();
    }

    static void printTable(PrintStream out, List<Result> results, List<Workload> workloads, List<String> clients,
            int slices) {
        int clientWidth = Math.max("etcdkit/jetcd".length(), clients.stream().mapToInt(String::length).max().orElse(0));
        String row = "%-19s %-" + clientWidth + "s %9s %7s %7s %7s %7s %7s %9s %7s %9s %9s %6s %6s %6s%n";
        out.println();
        out.printf(Locale.ROOT, "Results%s.%n", slices > 1 ? " (each client's " + slices
                + " measured slices, run in turn with the other clients', summed)" : "");
        out.printf(Locale.ROOT, "  latency in µs, from issue to completion callback; 'spread' = (fastest - slowest slice) / "
                + "overall throughput%n");
        out.printf(Locale.ROOT, "  cpu = this JVM's CPU µs per op (getProcessCpuTime), 'jit' = the part of it spent by JIT "
                + "compiler threads; srv cpu = etcd's CPU µs per op%n");
        out.printf(Locale.ROOT, "  alloc = bytes allocated per op; cores = client CPU / wall time; 'other' = cores used "
                + "meanwhile by every other process (noise, ideally 0)%n");
        out.printf(Locale.ROOT, "  ratios are etcdkit/jetcd: ops/s > 1 means etcdkit is faster; latency, cpu and alloc "
                + "< 1 mean etcdkit is lower%n%n");
        String header = String.format(Locale.ROOT, row, "workload", "client", "ops/s", "spread", "p50", "p99",
                "p99.9", "max", "cpu µs/op", "jit", "srv cpu", "alloc B", "cores", "other", "errors");
        out.print(header);
        out.println("-".repeat(header.length() - 1));
        for (Workload w : workloads) {
            for (String c : clients) {
                find(results, w, c).ifPresent(x -> out.printf(Locale.ROOT, row, w.id(), c, fmt0(x.opsPerSecond()),
                        pct(x.sliceSpread()), fmt0(x.latencyMicros(50)), fmt0(x.latencyMicros(99)),
                        fmt0(x.latencyMicros(99.9)), fmt0(x.maxMicros()), fmt1(x.cpuMicrosPerOp()),
                        fmt1(x.jitMicrosPerOp()), fmt1(x.serverCpuMicrosPerOp()), fmt0(x.allocatedBytesPerOp()),
                        fmt2(x.clientCores()), fmt2(x.otherCores()), Long.toString(x.errors())));
            }
            Optional<Result> ka = find(results, w, "etcdkit");
            Optional<Result> kb = find(results, w, "jetcd");
            if (ka.isPresent() && kb.isPresent()) {
                Result a = ka.get();
                Result b = kb.get();
                out.printf(Locale.ROOT, row, w.id(), "etcdkit/jetcd", ratio(a.opsPerSecond(), b.opsPerSecond()), "",
                        ratio(a.latencyMicros(50), b.latencyMicros(50)),
                        ratio(a.latencyMicros(99), b.latencyMicros(99)),
                        ratio(a.latencyMicros(99.9), b.latencyMicros(99.9)), ratio(a.maxMicros(), b.maxMicros()),
                        ratio(a.cpuMicrosPerOp(), b.cpuMicrosPerOp()), "",
                        ratio(a.serverCpuMicrosPerOp(), b.serverCpuMicrosPerOp()),
                        ratio(a.allocatedBytesPerOp(), b.allocatedBytesPerOp()),
                        ratio(a.clientCores(), b.clientCores()), "", "");
            }
        }
        for (Result r : results) {
            if (r.errors() > 0) {
                out.printf(Locale.ROOT, "%n%s / %s: %d failed, %d unexpected responses; first failure: %s%n",
                        r.workload().id(), r.client(), r.phase().errors(), r.phase().unexpected(),
                        r.phase().firstError());
            }
        }
    }

    static void writeCsv(Path file, List<Result> results, List<Workload> workloads, List<String> clients)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("workload,client,slice,ops,errors,seconds,ops_per_sec,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,"
                + "cpu_us_per_op,jit_cpu_us_per_op,server_cpu_us_per_op,alloc_bytes_per_op,client_cores,other_cores,"
                + "gc_count,gc_ms");
        for (Result total : results) {
            lines.add(csvRow(total, "all"));
            if (total.slices().size() > 1) {
                int i = 1;
                for (PhaseRunner.Phase slice : total.slices()) {
                    lines.add(csvRow(new Result(total.workload(), total.client(), slice, List.of(slice)),
                            Integer.toString(i++)));
                }
            }
        }
        for (Workload w : workloads) {
            Optional<Result> a = find(results, w, "etcdkit");
            Optional<Result> b = find(results, w, "jetcd");
            if (a.isPresent() && b.isPresent()) {
                Result x = a.get();
                Result y = b.get();
                lines.add(String.join(",", w.id(), "etcdkit/jetcd", "all", "", "", num(x.seconds() / y.seconds()),
                        num(x.opsPerSecond() / y.opsPerSecond()), num(x.latencyMicros(50) / y.latencyMicros(50)),
                        num(x.latencyMicros(90) / y.latencyMicros(90)), num(x.latencyMicros(99) / y.latencyMicros(99)),
                        num(x.latencyMicros(99.9) / y.latencyMicros(99.9)), num(x.maxMicros() / y.maxMicros()),
                        num(x.meanMicros() / y.meanMicros()), num(x.cpuMicrosPerOp() / y.cpuMicrosPerOp()), "",
                        num(x.serverCpuMicrosPerOp() / y.serverCpuMicrosPerOp()),
                        num(x.allocatedBytesPerOp() / y.allocatedBytesPerOp()), num(x.clientCores() / y.clientCores()),
                        "", "", ""));
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, lines);
    }

    private static String csvRow(Result r, String slice) {
        return String.join(",", r.workload().id(), r.client(), slice, Integer.toString(r.phase().ops()),
                Long.toString(r.errors()), num(r.seconds()), num(r.opsPerSecond()), num(r.latencyMicros(50)),
                num(r.latencyMicros(90)), num(r.latencyMicros(99)), num(r.latencyMicros(99.9)), num(r.maxMicros()),
                num(r.meanMicros()), num(r.cpuMicrosPerOp()), num(r.jitMicrosPerOp()), num(r.serverCpuMicrosPerOp()),
                num(r.allocatedBytesPerOp()), num(r.clientCores()), num(r.otherCores()),
                Long.toString(r.phase().used().gcCount()), Long.toString(r.phase().used().gcMillis()));
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmt0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmt1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String fmt2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", a / b);
    }
}
