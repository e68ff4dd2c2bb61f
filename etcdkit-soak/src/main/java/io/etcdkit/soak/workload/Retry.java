package io.etcdkit.soak.workload;

import io.etcdkit.EtcdException;
import java.util.function.Supplier;

/** Repeats a read (or an idempotent write) on etcd errors until it succeeds or a deadline passes. */
final class Retry {
    private Retry() {
    }

    /**
     * Runs {@code call} until it returns without an {@link EtcdException}, pausing 100 ms between tries.
     *
     * @param deadlineNanos give up after this {@link System#nanoTime()}
     * @param call the call; only for reads, or writes that are safe to repeat
     * @param <T> its result
     * @return the first result
     * @throws EtcdException the last error once the deadline has passed
     * @throws InterruptedException if interrupted between tries
     */
    static <T> T untilDone(long deadlineNanos, Supplier<T> call) throws InterruptedException {
        while (true) {
            try {
                return call.get();
            } catch (EtcdException e) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
