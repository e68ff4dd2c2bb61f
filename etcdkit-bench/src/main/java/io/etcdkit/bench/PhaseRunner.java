package io.etcdkit.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one phase of an operation workload: {@code count} operations issued from one thread through the client's
 * async API, at most {@code inFlight} outstanding (a {@link Semaphore}), each one's latency (issue to completion
 * callback) recorded in an HdrHistogram {@link Recorder}. A closed loop: a new operation starts when one
 * completes. A {@link Target.LocalOperation} instead runs {@link Target.LocalOperation#SCALE} times as many
 * operations synchronously, timed in batches of {@value #LOCAL_BATCH} (each operation is recorded with its batch's
 * mean). Shows a progress bar while it runs.
 */
final class PhaseRunner {
    private static final long DRAIN_TIMEOUT_SECONDS = 120;
    private static final int LOCAL_BATCH = 1000;

    private final ProgressBar progress;
    private final Meters meters;
    private final ThreadCpu threadCpu;

    /** {@code threadCpu} may be null: then phases carry no per-thread CPU (and no JIT share). */
    PhaseRunner(ProgressBar progress, Meters meters, ThreadCpu threadCpu) {
        this.progress = progress;
        this.meters = meters;
        this.threadCpu = threadCpu;
    }

    /** The number of operations a phase of {@code count} runs of {@code op}. */
    static int operations(Target.Operation op, int count) {
        return op instanceof Target.LocalOperation ? Math.multiplyExact(count, Target.LocalOperation.SCALE) : count;
    }

    /** Runs operations {@code firstIndex ..} of {@code op}; see {@link #operations} for how many. */
    Phase run(String label, Target.Operation op, long firstIndex, int count, int inFlight) throws InterruptedException {
        int n = operations(op, count);
        try (ProgressBar.Task task = progress.start(label, n, "ops")) {
            if (op instanceof Target.ExternalOperation external) {
                return runExternal(label, external, firstIndex, n, inFlight, task);
            }
            return op instanceof Target.LocalOperation local ? runLocal(local, firstIndex, n, task)
                    : runAsync(label, op, firstIndex, n, inFlight, task);
        }
    }

    private Phase runAsync(String label, Target.Operation op, long firstIndex, int count, int inFlight,
            ProgressBar.Task task) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        Recorder recorder = new Recorder(Phase.HIGHEST_NANOS, 3);
        LongAdder errors = new LongAdder();
        LongAdder unexpected = new LongAdder();
        AtomicReference<Throwable> firstError = new AtomicReference<>();

        Measurement m = Measurement.start(meters, threadCpu);
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
                recorder.recordValue(Math.min(System.nanoTime() - start, Phase.HIGHEST_NANOS));
                errors.increment();
                firstError.compareAndSet(null, e);
                task.add(1);
                permits.release();
                continue;
            }
            f.whenComplete((response, error) -> {
                recorder.recordValue(Math.min(System.nanoTime() - start, Phase.HIGHEST_NANOS));
                if (error != null) {
                    errors.increment();
                    firstError.compareAndSet(null, error);
                } else if (!op.expected(response)) {
                    unexpected.increment();
                }
                task.add(1);
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": " + (count - task.done()) + " operations still outstanding after "
                    + DRAIN_TIMEOUT_SECONDS + " s");
        }
        return m.stop(count, errors.sum(), unexpected.sum(), firstError.get(), recorder.getIntervalHistogram());
    }

    /**
     * A phase run by another process ({@link GoTarget}): its own CPU, allocation and GCs are charged, etcd's CPU and
     * the other processes' come from this process's meters around it (this JVM only waits meanwhile, and what it
     * uses is not counted as "other").
     */
    private Phase runExternal(String label, Target.ExternalOperation op, long firstIndex, int count, int inFlight,
            ProgressBar.Task task) throws InterruptedException {
        Meters.Snapshot before = meters.read();
        Target.ExternalOperation.Run run;
        try {
            run = op.run(firstIndex, count, inFlight);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(label + ": the external client failed: " + e.getMessage(), e);
        }
        Meters.Delta here = meters.read().minus(before);
        task.add(count);
        long other = here.otherCpuNanos() < 0 ? -1 : Math.max(0, here.otherCpuNanos() - run.cpuNanos());
        Meters.Delta used = new Meters.Delta(run.elapsedNanos(), run.cpuNanos(), run.allocatedBytes(), run.gcCount(),
                run.gcMillis(), here.serverCpuNanos(), other);
        return new Phase(run.ops(), run.errors(), run.unexpected(), run.firstError(), run.latencies(), used,
                java.util.Map.of());
    }

    private Phase runLocal(Target.LocalOperation op, long firstIndex, int count, ProgressBar.Task task) {
        Histogram latencies = Phase.newHistogram();
        long unexpected = 0;
        long errors = 0;
        Throwable firstError = null;
        long index = firstIndex * Target.LocalOperation.SCALE;
        Measurement m = Measurement.start(meters, threadCpu);
        for (int done = 0; done < count; ) {
            int batch = Math.min(LOCAL_BATCH, count - done);
            long t0 = System.nanoTime();
            for (int j = 0; j < batch; j++) {
                try {
                    if (!op.run(index++)) {
                        unexpected++;
                    }
                } catch (RuntimeException e) {
                    errors++;
                    if (firstError == null) {
                        firstError = e;
                    }
                }
            }
            long mean = Math.max(1, (System.nanoTime() - t0) / batch);
            latencies.recordValueWithCount(Math.min(mean, Phase.HIGHEST_NANOS), batch);
            done += batch;
            task.add(batch);
        }
        return m.stop(count, errors, unexpected, firstError, latencies);
    }
}
