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
     * Releases a hold nobody will see, without a waiting thread (its release is revision-checked, so it never
     * touches a successor). If the release fails, the key is attached to the session's lease: it goes with the
     * session at the latest.
     */
    static void giveBack(AutoCloseable hold) {
        CompletableFuture<?> released;
        try {
            released = hold instanceof QueueHold q ? q.closeAsync() : CompletableFuture.runAsync(() -> {
                try {
                    hold.close(); // not one of ours: its close may block, so not on the callback thread
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
        } catch (RuntimeException e) {
            released = CompletableFuture.failedFuture(e);
        }
        released.whenComplete((r, e) -> {
            if (e != null) {
                LOG.warn("giving back {}, granted as its acquisition was cancelled, failed; it is released when the "
                        + "session ends", hold, e);
            }
        });
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AsyncHolds.class);
}
