package io.etcdkit.bench;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one phase: {@code count} operations issued from one thread through the client's async API, at most
 * {@code inFlight} outstanding (a {@link Semaphore}), each one's latency (issue to completion callback) recorded
 * in an HdrHistogram {@link Recorder}. A closed loop: a new operation starts when one completes. Shows a progress
 * line on {@code progressOut}, rewritten in place with {@code \r}.
 */
final class PhaseRunner implements AutoCloseable {
    /** Latencies above this (nanoseconds) are recorded as this value. */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_TIMEOUT_SECONDS = 120;

    private final PrintStream progressOut;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Live> live = new AtomicReference<>();

    /** The outcome of a phase. */
    record Phase(int ops, long errors, long unexpected, Throwable firstError, Histogram latencies,
            Meters.Delta used, java.util.Map<String, Long> threadCpuNanos) {

        /** CPU time of the JIT compiler threads during the phase, -1 when unknown. */
        long jitCpuNanos() {
            if (threadCpuNanos == null || threadCpuNanos.isEmpty()) {
                return -1;
            }
            long sum = 0;
            for (java.util.Map.Entry<String, Long> e : threadCpuNanos.entrySet()) {
                if (e.getKey().contains("CompilerThre")) {
                    sum += e.getValue();
                }
            }
            return sum;
        }
    }

    private record Live(String label, int total, AtomicLong done, long startNanos) {
    }

    PhaseRunner(PrintStream progressOut) {
        this.progressOut = progressOut;
        ticker.scheduleAtFixedRate(this::printProgress, 250, 250, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the phase.
     *
     * @param threadCpu when not null, CPU time per thread group over the phase is collected as well (else the
     *                  phase's {@code threadCpuNanos} is empty, or null when /proc could not be read)
     */
    Phase run(String label, Target.Operation op, long firstIndex, int count, int inFlight, Meters meters,
            ThreadCpu threadCpu) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
        LongAdder errors = new LongAdder();
        LongAdder unexpected = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        AtomicLong done = new AtomicLong();

        java.util.Map<Long, ThreadCpu.Entry> threadsBefore = threadCpu == null ? null : threadCpu.read();
        Meters.Snapshot before = meters.read();
        live.set(new Live(label, count, done, before.nanoTime()));
        long end = firstIndex + count;
        for (long i = firstIndex; i < end; i++) {
            if (!permits.tryAcquire(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(label + ": no operation completed in " + DRAIN_TIMEOUT_SECONDS
                        + " s; the client or the cluster is stuck");
            }
            long start = System.nanoTime();
            CompletableFuture<?> f;
            try {
                f = op.issue(i);
            } catch (RuntimeException e) {
                recorder.recordValue(Math.min(System.nanoTime() - start, HIGHEST_NANOS));
                errors.increment();
                firstError.compareAndSet(null, e);
                done.incrementAndGet();
                permits.release();
                continue;
            }
            f.whenComplete((response, error) -> {
                recorder.recordValue(Math.min(System.nanoTime() - start, HIGHEST_NANOS));
                if (error != null) {
                    errors.increment();
                    firstError.compareAndSet(null, error);
                } else if (!op.expected(response)) {
                    unexpected.increment();
                }
                done.incrementAndGet();
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": " + (count - done.get()) + " operations still outstanding after "
                    + DRAIN_TIMEOUT_SECONDS + " s");
        }
        Meters.Snapshot after = meters.read();
        java.util.Map<String, Long> threads = threadCpu == null ? java.util.Map.of()
                : ThreadCpu.byGroup(threadsBefore, threadCpu.read());
        if (threadCpu != null && threads.isEmpty()) {
            threads = null; // /proc unreadable: unknown, not zero
        }
        synchronized (progressOut) {
            live.set(null);
            progressOut.print("\r" + " ".repeat(100) + "\r");
            progressOut.flush();
        }
        return new Phase(count, errors.sum(), unexpected.sum(), firstError.get(), recorder.getIntervalHistogram(),
                after.minus(before), threads);
    }

    private void printProgress() {
        synchronized (progressOut) {
            Live l = live.get();
            if (l == null) {
                return;
            }
            long done = l.done.get();
            double secs = (System.nanoTime() - l.startNanos) / 1e9;
            progressOut.print(String.format("\r  %-40s %,11d / %,d  (%3d%%)  %,9.0f ops/s", l.label, done, l.total,
                    done * 100 / Math.max(1, l.total), secs > 0 ? done / secs : 0.0));
            progressOut.flush();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
