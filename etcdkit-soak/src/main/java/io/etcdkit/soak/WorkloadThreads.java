package io.etcdkit.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one workload: each runs a loop body until {@link #stop}; a body that throws something other than
 * an interruption is kept as the workload's failure (reported by its check), and the loop goes on.
 */
public final class WorkloadThreads {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadThreads.class);
    private final String workload;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Creates a group for a workload.
     *
     * @param workload the workload's name (used in thread names)
     */
    public WorkloadThreads(String workload) {
        this.workload = workload;
    }

    /** A loop body: one step of a worker; interruption ends the worker. */
    @FunctionalInterface
    public interface Step {
        /**
         * Runs one step.
         *
         * @throws Exception anything: kept as the failure unless it is an interruption
         */
        void run() throws Exception;
    }

    /**
     * Starts a worker running {@code step} until {@link #stop}.
     *
     * @param name the worker's name
     * @param step its loop body
     */
    public synchronized void spawn(String name, Step step) {
        Thread t = new Thread(() -> {
            while (!stopping) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable e) {
                    if (failure.compareAndSet(null, e)) {
                        LOG.warn("{}: worker {} failed", workload, name, e);
                    }
                    pause(100);
                }
            }
        }, "soak-" + workload + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** {@return true once stop was called} */
    public boolean stopping() {
        return stopping;
    }

    /** {@return the first unexpected exception a worker threw, or null} */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Tells every worker to stop after its current step and waits up to {@code timeout} in all; workers still
     * running then are interrupted.
     *
     * @param timeout the bound
     * @throws InterruptedException if interrupted while waiting
     */
    public void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        long end = System.nanoTime() + timeout.toNanos();
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(threads);
        }
        for (Thread t : all) {
            long left = end - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }

    /**
     * Sleeps between steps (pacing only, never to wait for a condition); returns early when interrupted.
     *
     * @param millis how long
     */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
