package io.etcdkit.recipes.internal;

import io.etcdkit.EtcdException;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.recipes.session.SessionListener;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The async form of {@link WatchWait}: a future that completes when an event may have changed the waiter's turn,
 * the session ends, or the deadline passes; no thread waits. The watch and the session listener are removed as
 * soon as the future completes, however it completes (cancelling it stops the wait). Internal to etcdkit's
 * recipes.
 */
public final class AsyncWatchWait {
    private AsyncWatchWait() {}

    /**
     * Completes with true when woken by an event (or a compaction of the watched history, after which the waiter
     * must re-check by reading), with false at the deadline, and fails with {@link SessionExpiredException} when
     * the session ends first or with the watch's {@link EtcdException} when the watch ends. A wake-up is told to
     * the client's listener ({@code queueWaiterWoken}). Events complete it on the client's callback executor, the
     * deadline on the JDK's timer thread.
     *
     * @param session the waiter's session
     * @param queue the lock's or semaphore's name, for the listener
     * @param watch what to watch
     * @param wakes which events wake the waiter
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return the wait
     */
    public static CompletableFuture<Boolean> untilWoken(Session session, String queue, Watch watch,
            Predicate<WatchEvent> wakes, long deadlineNanos) {
        CompletableFuture<Boolean> woken = new CompletableFuture<>();
        SessionListener ended = (was, now, why) -> {
            if (now.isTerminal()) {
                woken.completeExceptionally(new SessionExpiredException("waiting in the queue " + queue
                        + ": the session (lease " + Long.toHexString(session.leaseId()) + ") is " + now + " (" + why
                        + "); open a new session"));
            }
        };
        session.addListener(ended);
        Watcher watcher;
        try {
            watcher = session.client().watches().watch(watch, event -> {
                if (wakes.test(event) || event instanceof CompactedEvent) {
                    woken.complete(true);
                } else if (event instanceof EndedEvent end) {
                    Throwable c = end.cause();
                    woken.completeExceptionally(c instanceof EtcdException ? c
                            : new EtcdException("waiting on " + watch + " failed: " + c, c));
                }
            });
        } catch (RuntimeException e) {
            session.removeListener(ended);
            return CompletableFuture.failedFuture(e);
        }
        woken.completeOnTimeout(false, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        woken.whenComplete((r, e) -> {
            watcher.close();
            session.removeListener(ended);
            if (Boolean.TRUE.equals(r)) {
                EtcdListener listener = session.client().listener();
                if (listener != EtcdListener.NONE) {
                    listener.queueWaiterWoken(queue);
                }
            }
        });
        return woken;
    }
}
