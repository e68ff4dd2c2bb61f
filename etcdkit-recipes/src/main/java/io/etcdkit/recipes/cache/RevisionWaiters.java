package io.etcdkit.recipes.cache;

import io.etcdkit.EtcdException;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The asynchronous waiters of a {@link CachedView}: each waits until the view has delivered a revision, and is
 * completed by the view's own events (no thread waits). A waiter added while the view ends is still completed:
 * the view re-checks its state after adding.
 */
final class RevisionWaiters {
    private record Waiter(long revision, CompletableFuture<Void> future) {}

    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /** A new waiter for {@code revision}; the caller then re-checks the view's state. */
    CompletableFuture<Void> add(long revision) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Waiter w = new Waiter(revision, f);
        waiters.add(w);
        f.whenComplete((x, e) -> waiters.remove(w)); // also when the caller cancels or times it out
        return f;
    }

    /** Completes every waiter for {@code revision} or earlier. */
    void delivered(long revision) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.revision() <= revision) {
                it.remove();
                w.future().complete(null);
            }
        }
    }

    /** Fails every waiter with {@code cause}. */
    void fail(EtcdException cause) {
        for (Waiter w; (w = waiters.poll()) != null; ) {
            w.future().completeExceptionally(cause);
        }
    }
}
