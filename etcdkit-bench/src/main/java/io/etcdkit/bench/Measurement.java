package io.etcdkit.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Reads the meters (and per-thread CPU) when a measured stretch starts and again when it stops, and turns the
 * difference into a {@link Phase}. Start it after the warm-up and any set-up that should not be charged.
 */
final class Measurement {
    private final Meters meters;
    private final ThreadCpu threadCpu;
    private final Map<Long, ThreadCpu.Entry> threadsBefore;
    private final Meters.Snapshot before;

    private Measurement(Meters meters, ThreadCpu threadCpu) {
        this.meters = meters;
        this.threadCpu = threadCpu;
        this.threadsBefore = threadCpu == null ? null : threadCpu.read();
        this.before = meters.read();
    }

    /** Starts measuring now; {@code threadCpu} may be null (no per-thread CPU). */
    static Measurement start(Meters meters, ThreadCpu threadCpu) {
        return new Measurement(meters, threadCpu);
    }

    /** When the stretch started ({@link System#nanoTime()}). */
    long startNanos() {
        return before.nanoTime();
    }

    /** Stops measuring now. */
    Phase stop(int ops, long errors, long unexpected, Throwable firstError, Histogram latencies) {
        Meters.Snapshot after = meters.read();
        Map<String, Long> threads = threadCpu == null ? Map.of() : ThreadCpu.byGroup(threadsBefore, threadCpu.read());
        if (threadCpu != null && threads.isEmpty()) {
            threads = null; // /proc unreadable: unknown, not zero
        }
        return new Phase(ops, errors, unexpected, firstError, latencies, after.minus(before), threads);
    }
}
