package io.etcdkit.internal.lease;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order added, on an executor. Tasks are added under the engine's lock (so
 * their order matches the order of state changes) and {@link #kick() started} after it is released, so that
 * listener code never runs under the lock even with a direct executor.
 */
final class SerialQueue implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialQueue(Executor executor) {
        this.executor = executor;
    }

    void add(Runnable task) {
        tasks.add(task);
    }

    /** Makes sure the queued tasks will run. */
    void kick() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // The executor was shut down (client closed): run the remaining notifications here.
                run();
            }
        }
    }

    @Override
    public void run() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("a lease listener threw; ignored", e);
                }
            }
        } finally {
            scheduled.set(false);
        }
        kick();
    }
}
