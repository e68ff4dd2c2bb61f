package io.etcdkit.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one measured stretch of a workload did and cost: operations, failures, latencies (nanoseconds) and the
 * resources used meanwhile.
 *
 * @param ops            operations done (what one operation is depends on the workload: a put, an event, a key)
 * @param errors         operations that failed
 * @param unexpected     operations that succeeded with a wrong answer (a read that found nothing, ...)
 * @param firstError     the first failure, or null
 * @param latencies      latency samples in nanoseconds (what is timed depends on the workload)
 * @param used           CPU, allocation, GC and wall time over the stretch
 * @param threadCpuNanos CPU per thread group over the stretch; empty when not collected, null when /proc could
 *                       not be read
 */
record Phase(int ops, long errors, long unexpected, Throwable firstError, Histogram latencies, Meters.Delta used,
        Map<String, Long> threadCpuNanos) {

    /** Latencies above this (nanoseconds) are recorded as this value. */
    static final long HIGHEST_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

    /** An empty latency histogram with the range and precision every phase uses. */
    static Histogram newHistogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    /** CPU time of the JIT compiler threads during the phase, -1 when unknown. */
    long jitCpuNanos() {
        if (threadCpuNanos == null || threadCpuNanos.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (Map.Entry<String, Long> e : threadCpuNanos.entrySet()) {
            if (e.getKey().contains("CompilerThre")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** The JIT compiler threads' share of this process's CPU during the phase, NaN when unknown. */
    double jitShare() {
        long jit = jitCpuNanos();
        long all = used.processCpuNanos();
        return jit < 0 || all <= 0 ? Double.NaN : (double) jit / all;
    }
}
