package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The fair queue behind locks and elections: a waiter's turn comes when no key under the queue's prefix was
 * created before its own. It watches only its immediate predecessor (the last key created before it), so one
 * hand-off wakes exactly one waiter — no thundering herd — and re-checks after a wake-up when the predecessor was
 * not the last older key, because a predecessor can leave out of order (timeout, crash). This is the algorithm of
 * etcd's Go concurrency package, so etcdctl lock/elect and Go clients queue in the same line. Each wake-up is
 * reported to the client's listener ({@code queueWaiterWoken}), so a herd would show there. The wait itself is
 * event-driven ({@link TurnWait}): no thread is parked per waiter.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class PredecessorWaiter {
    private PredecessorWaiter() {}

    /** How a wait for a turn ended. */
    public enum Turn {
        /** No key under the prefix was created before the entry's: it is the entry's turn. */
        MINE,
        /** The deadline passed first. */
        TIMED_OUT,
        /** The entry's own key is gone (its lease expired or was revoked) or belongs to someone else now. */
        KEY_GONE
    }

    /**
     * Waits, without parking a thread, until no key under {@code prefix} has a create revision below
     * {@code mine}'s, and the turn is only given while {@code mine}'s own key still stands. Cancelling the returned
     * future stops the wait (the entry's key stays: removing it is the caller's business).
     *
     * @param session the waiter's session
     * @param queue the lock's or election's name, as the client's listener hears of wake-ups
     * @param prefix the prefix whose older keys must be gone
     * @param mine the waiter's entry
     * @param deadlineNanos a {@link System#nanoTime()} instant; one already passed means "check once, do not wait"
     * @return completes with the turn on the client's callback executor ({@link Turn#TIMED_OUT} on the deadline
     *     thread), or with {@link SessionExpiredException} when the session ends first
     */
    public static CompletableFuture<Turn> awaitTurnAsync(Session session, String queue, Bytes prefix,
            QueueEntry mine, long deadlineNanos) {
        return new TurnWait(session, queue, prefix, mine, deadlineNanos).start();
    }

    /**
     * The blocking form of {@link #awaitTurnAsync}: a thin wait on it.
     *
     * @param session the waiter's session
     * @param queue the lock's or election's name
     * @param prefix the prefix whose older keys must be gone
     * @param mine the waiter's entry
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return the turn
     * @throws SessionExpiredException when the session ends while waiting
     * @throws InterruptedException when the thread is interrupted (the wait is then stopped)
     */
    public static Turn awaitTurn(Session session, String queue, Bytes prefix, QueueEntry mine, long deadlineNanos)
            throws InterruptedException {
        return await(awaitTurnAsync(session, queue, prefix, mine, deadlineNanos));
    }

    /**
     * Waits for a recipe's future on the calling thread; an interrupt cancels it.
     *
     * @param <T> the result's type
     * @param future the future
     * @return its value
     * @throws InterruptedException when the thread is interrupted (the future is then cancelled)
     */
    public static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                if (re instanceof EtcdException ee) {
                    ee.addSuppressed(new Exception("waited for here"));
                }
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new EtcdException("waiting in a queue failed: " + c, c);
        }
    }
}
