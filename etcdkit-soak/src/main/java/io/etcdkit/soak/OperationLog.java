package io.etcdkit.soak;

import java.util.Arrays;

/**
 * The operations one workload made: start time, latency and {@link Outcome} of each, in the order they ended.
 * Thread-safe; about 17 bytes per operation (a 30-minute run of all workloads records a few million at most).
 */
public final class OperationLog {
    private final String workload;
    private long[] starts = new long[1024];
    private long[] latencies = new long[1024];
    private byte[] outcomes = new byte[1024];
    private int size;
    private final long[] counts = new long[Outcome.values().length];
    private long lastOkEnd = Long.MIN_VALUE;
    private boolean anyOk;

    /**
     * Creates an empty log.
     *
     * @param workload the workload's name
     */
    public OperationLog(String workload) {
        this.workload = workload;
    }

    /** {@return the workload's name} */
    public String workload() {
        return workload;
    }

    /**
     * Records one operation that ended now.
     *
     * @param startNanos when it started ({@link System#nanoTime()})
     * @param outcome how it ended
     */
    public void record(long startNanos, Outcome outcome) {
        long end = System.nanoTime();
        synchronized (this) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                latencies = Arrays.copyOf(latencies, size * 2);
                outcomes = Arrays.copyOf(outcomes, size * 2);
            }
            starts[size] = startNanos;
            latencies[size] = end - startNanos;
            outcomes[size] = (byte) outcome.ordinal();
            size++;
            counts[outcome.ordinal()]++;
            if (outcome == Outcome.OK) {
                lastOkEnd = end;
                anyOk = true;
            }
        }
    }

    /**
     * Whether an operation that ended after {@code nanos} succeeded.
     *
     * @param nanos a {@link System#nanoTime()} value
     * @return true once an operation ending after it was {@link Outcome#OK}
     */
    public synchronized boolean okSince(long nanos) {
        return anyOk && lastOkEnd - nanos > 0;
    }

    /**
     * How many operations ended with {@code outcome}.
     *
     * @param outcome the outcome
     * @return the count
     */
    public synchronized long count(Outcome outcome) {
        return counts[outcome.ordinal()];
    }

    /** {@return a copy of everything recorded so far} */
    public synchronized Snapshot snapshot() {
        return new Snapshot(workload, Arrays.copyOf(starts, size), Arrays.copyOf(latencies, size),
                Arrays.copyOf(outcomes, size));
    }

    /**
     * A copy of an {@link OperationLog}: parallel arrays, one entry per operation.
     *
     * @param workload the workload's name
     * @param starts start times ({@link System#nanoTime()})
     * @param latencies latencies in nanoseconds
     * @param outcomes {@link Outcome} ordinals
     */
    public record Snapshot(String workload, long[] starts, long[] latencies, byte[] outcomes) {
        /** {@return how many operations} */
        public int size() {
            return starts.length;
        }

        /**
         * The outcome of operation {@code i}.
         *
         * @param i the index
         * @return its outcome
         */
        public Outcome outcome(int i) {
            return Outcome.values()[outcomes[i]];
        }

        /**
         * A latency percentile of the {@link Outcome#OK} operations.
         *
         * @param percentile 0 to 100
         * @return the latency in nanoseconds, 0 when there are none
         */
        public long okLatencyPercentile(double percentile) {
            long[] ok = new long[size()];
            int n = 0;
            for (int i = 0; i < size(); i++) {
                if (outcomes[i] == Outcome.OK.ordinal()) {
                    ok[n++] = latencies[i];
                }
            }
            if (n == 0) {
                return 0;
            }
            Arrays.sort(ok, 0, n);
            int index = (int) Math.ceil(percentile / 100.0 * n) - 1;
            return ok[Math.max(0, Math.min(n - 1, index))];
        }
    }
}
