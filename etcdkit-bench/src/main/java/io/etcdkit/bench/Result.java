package io.etcdkit.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One row of the report: what one client did in one measurement of a workload, its slices summed (operations,
 * time, CPU, latencies merged), plus each slice to show the spread.
 *
 * @param workload the workload
 * @param row      the measurement's name in the report: the workload's id, or a part of it ({@code lock-handoff})
 * @param client   the client
 * @param unit     what one operation is ({@code put}, {@code event}, {@code hand-off})
 * @param phase    the slices summed
 * @param slices   the slices
 * @param note     what else the measurement found (heap per watcher, ...), or empty
 */
record Result(Workload workload, String row, String client, String unit, Phase phase, List<Phase> slices,
        String note) {

    /** Sums slices into one result. */
    static Result of(Workload workload, String row, String client, String unit, List<Phase> slices, String note) {
        int ops = 0;
        long errors = 0;
        long unexpected = 0;
        Throwable first = null;
        Histogram latencies = Phase.newHistogram();
        long elapsed = 0;
        long cpu = 0;
        long alloc = 0;
        long gcCount = 0;
        long gcMillis = 0;
        long server = 0;
        long other = 0;
        Map<String, Long> threads = new HashMap<>();
        boolean threadsKnown = true;
        for (Phase p : slices) {
            ops += p.ops();
            errors += p.errors();
            unexpected += p.unexpected();
            if (first == null) {
                first = p.firstError();
            }
            latencies.add(p.latencies());
            Meters.Delta d = p.used();
            elapsed += d.elapsedNanos();
            cpu += d.processCpuNanos();
            alloc += d.allocatedBytes();
            gcCount += d.gcCount();
            gcMillis += d.gcMillis();
            server = server < 0 || d.serverCpuNanos() < 0 ? -1 : server + d.serverCpuNanos();
            other = other < 0 || d.otherCpuNanos() < 0 ? -1 : other + d.otherCpuNanos();
            if (p.threadCpuNanos() == null) {
                threadsKnown = false;
            } else {
                p.threadCpuNanos().forEach((k, v) -> threads.merge(k.replaceAll(" \\(.*\\)$", ""), v, Long::sum));
            }
        }
        Phase sum = new Phase(ops, errors, unexpected, first, latencies,
                new Meters.Delta(elapsed, cpu, alloc, gcCount, gcMillis, server, other), threadsKnown ? threads : null);
        return new Result(workload, row, client, unit, sum, List.copyOf(slices), note == null ? "" : note);
    }

    double seconds() {
        return phase.used().elapsedNanos() / 1e9;
    }

    double opsPerSecond() {
        return phase.ops() / seconds();
    }

    /** (fastest slice - slowest slice) / overall throughput: how much the slices disagree. */
    double sliceSpread() {
        if (slices.size() < 2) {
            return Double.NaN;
        }
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Phase p : slices) {
            double v = p.ops() / (p.used().elapsedNanos() / 1e9);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return (max - min) / opsPerSecond();
    }

    /** Latency at {@code percentile} (0-100) in microseconds. */
    double latencyMicros(double percentile) {
        Histogram h = phase.latencies();
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
    }

    double maxMicros() {
        return phase.latencies().getTotalCount() == 0 ? Double.NaN : phase.latencies().getMaxValue() / 1e3;
    }

    double meanMicros() {
        return phase.latencies().getTotalCount() == 0 ? Double.NaN : phase.latencies().getMean() / 1e3;
    }

    /** Client (this JVM) CPU time per operation, in microseconds. */
    double cpuMicrosPerOp() {
        return phase.used().processCpuNanos() / 1e3 / phase.ops();
    }

    /** CPU of the JIT compiler threads per operation in microseconds (part of {@link #cpuMicrosPerOp()}). */
    double jitMicrosPerOp() {
        long ns = phase.jitCpuNanos();
        return ns < 0 ? Double.NaN : ns / 1e3 / phase.ops();
    }

    /** Server (etcd processes) CPU time per operation in microseconds, or NaN when not measured. */
    double serverCpuMicrosPerOp() {
        long ns = phase.used().serverCpuNanos();
        return ns < 0 ? Double.NaN : ns / 1e3 / phase.ops();
    }

    /** Average client cores busy during the phase. */
    double clientCores() {
        return (double) phase.used().processCpuNanos() / phase.used().elapsedNanos();
    }

    /** Average cores other processes of the machine used during the phase (noise), NaN when unknown. */
    double otherCores() {
        long ns = phase.used().otherCpuNanos();
        return ns < 0 ? Double.NaN : (double) ns / phase.used().elapsedNanos();
    }

    /**
     * Bytes allocated per operation, NaN when unknown: the sum covers live threads only, so when pool threads that
     * allocated end during the stretch (an idle ForkJoinPool retires its workers) it can even come out negative.
     */
    double allocatedBytesPerOp() {
        long bytes = phase.used().allocatedBytes();
        return bytes < 0 ? Double.NaN : (double) bytes / phase.ops();
    }

    long errors() {
        return phase.errors() + phase.unexpected();
    }
}
