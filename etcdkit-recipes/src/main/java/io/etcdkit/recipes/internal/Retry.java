package io.etcdkit.recipes.internal;

import io.etcdkit.OutcomeUnknownException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Repeats an idempotent async write whose outcome was unknown, as the blocking recipes do in a loop: each try
 * starts from the previous one's callback, so no thread waits. Internal to etcdkit's recipes.
 */
public final class Retry {
    private Retry() {}

    /**
     * {@code write}'s result; an {@link OutcomeUnknownException} starts it again, up to {@code attempts} times in
     * all, after which the last one fails the future. Only for writes that are safe to repeat.
     *
     * @param attempts how many tries in all
     * @param write starts one try
     * @param <T> the result type
     * @return the first try's result that was not an unknown outcome
     */
    public static <T> CompletableFuture<T> whenOutcomeUnknown(int attempts, Supplier<CompletableFuture<T>> write) {
        CompletableFuture<T> started;
        try {
            started = write.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof OutcomeUnknownException && attempts > 1) {
                return whenOutcomeUnknown(attempts - 1, write);
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
