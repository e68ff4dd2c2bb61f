package io.etcdkit.recipes;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * Keeps a one-thread callback executor busy until {@link #release()}: work given to it meanwhile queues, so a
 * test can attach a dependent to a future before the future can complete, and then see which thread completes it.
 */
public final class HeldExecutor {
    private final CountDownLatch gate = new CountDownLatch(1);

    private HeldExecutor(Executor executor) {
        executor.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Holds {@code executor}'s thread until {@link #release()}. */
    public static HeldExecutor hold(Executor executor) {
        return new HeldExecutor(executor);
    }

    /** Lets the executor run what queued meanwhile. */
    public void release() {
        gate.countDown();
    }
}
