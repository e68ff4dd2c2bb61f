package io.etcdkit.recipes.publish;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous writes so that writes of one key happen one after another, in submission order, while writes
 * of different keys run in parallel. (Two puts of one key in flight at once could be applied in either order:
 * etcd serves concurrent requests concurrently, and a retry on another member reorders them too.)
 *
 * <p>Only keys with a write in flight are remembered. Thread-safe.
 */
final class KeyOrderedWrites {
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    /**
     * Starts {@code write} once the previous write of {@code key} (if any) has finished, whatever its outcome.
     * Returns the write's result; a write that throws instead of returning a future fails it.
     */
    <R> CompletableFuture<R> submit(String key, Supplier<CompletableFuture<R>> write) {
        CompletableFuture<R> result;
        synchronized (tails) {
            CompletableFuture<?> previous = tails.get(key);
            result = previous == null ? start(write) : previous.handle((r, e) -> null).thenCompose(x -> start(write));
            tails.put(key, result);
        }
        CompletableFuture<R> tail = result;
        result.whenComplete((r, e) -> {
            synchronized (tails) {
                tails.remove(key, tail);
            }
        });
        return result;
    }

    private static <R> CompletableFuture<R> start(Supplier<CompletableFuture<R>> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
