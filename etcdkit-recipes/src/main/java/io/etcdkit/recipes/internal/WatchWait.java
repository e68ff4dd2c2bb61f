package io.etcdkit.recipes.internal;

import io.etcdkit.EtcdException;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The wait both queue engines do: watch until an event that may have changed the waiter's turn, the session's end,
 * or the deadline. A compaction of the watched history also wakes the waiter, since it cannot tell what happened
 * and must re-check by reading. A wake-up is reported to the client's listener ({@code queueWaiterWoken}).
 * Internal to etcdkit's recipes.
 */
final class WatchWait {
    private WatchWait() {}

    /**
     * Like {@link #until}, and tells the client's listener of the wake-up.
     *
     * @param session the waiter's session
     * @param queue the lock's or election's name, for the listener
     * @param watch what to watch
     * @param wakes which events wake the waiter
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return true when woken by an event (the session still alive), false at the deadline
     * @throws io.etcdkit.recipes.session.SessionExpiredException when the session ended
     * @throws InterruptedException when the thread is interrupted
     */
    static boolean untilWoken(Session session, String queue, Watch watch, Predicate<WatchEvent> wakes,
            long deadlineNanos) throws InterruptedException {
        boolean woken = until(session, watch, wakes, deadlineNanos);
        if (woken) {
            EtcdListener listener = session.client().listener();
            if (listener != EtcdListener.NONE) {
                listener.queueWaiterWoken(queue);
            }
        }
        return woken;
    }

    /**
     * @return true when woken by an event (the session still alive), false at the deadline
     * @throws io.etcdkit.recipes.session.SessionExpiredException when the session ended
     */
    private static boolean until(Session session, Watch watch, Predicate<WatchEvent> wakes, long deadlineNanos)
            throws InterruptedException {
        CompletableFuture<Void> woken = new CompletableFuture<>();
        Watcher watcher = session.client().watches().watch(watch, event -> {
            if (wakes.test(event) || event instanceof CompactedEvent) {
                woken.complete(null);
            } else if (event instanceof EndedEvent ended) {
                woken.completeExceptionally(ended.cause());
            }
        });
        try {
            long left = deadlineNanos - System.nanoTime();
            CompletableFuture.anyOf(woken, session.ended()).get(Math.max(0, left), TimeUnit.NANOSECONDS);
            session.ensureAlive("waiting in the queue");
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof EtcdException ee ? ee : new EtcdException("waiting on " + watch + " failed: " + c, c);
        } finally {
            watcher.close();
        }
    }
}
