package io.etcdkit.recipes.lock;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Futures of asynchronous acquisitions as callers get them: a mapped future passes a cancel back to the attempt it
 * came from (so the attempt withdraws: its key is deleted), which {@code thenApply} would not do. A hold that was
 * granted just as the caller cancelled is given back, since nobody will ever see it.
 */
final class AsyncHolds {
    private AsyncHolds() {}

    /**
     * {@code attempt} mapped through {@code f}; cancelling the result cancels {@code attempt}.
     *
     * @param <T> the hold's type
     * @param <R> the result's type
     * @param attempt the attempt's future: empty when nothing is held
     * @param f what the caller gets for it
     * @return the caller's future
     */
    static <T extends AutoCloseable, R> CompletableFuture<R> map(CompletableFuture<Optional<T>> attempt,
            Function<Optional<T>, R> f) {
        CompletableFuture<R> out = new CompletableFuture<>();
        attempt.whenComplete((held, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
                return;
            }
            boolean delivered;
            try {
                delivered = out.complete(f.apply(held));
            } catch (RuntimeException x) {
                delivered = out.completeExceptionally(x);
            }
            if (!delivered) {
                held.ifPresent(AsyncHolds::giveBack);
            }
        });
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                attempt.cancel(false);
            }
        });
        return out;
    }

    /**
     * Releases a hold nobody will see (off the callback executor, since a release calls etcd); its release is
     * revision-checked, so it never touches a successor.
     */
    static void giveBack(AutoCloseable hold) {
        CompletableFuture.runAsync(() -> {
            try {
                hold.close();
            } catch (Exception e) {
                // attached to the session's lease: it goes with the session at the latest
            }
        });
    }
}
