package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.Watch;

/**
 * The fair queue behind locks and elections: a waiter's turn comes when no key under the queue's prefix was
 * created before its own. It watches only its immediate predecessor (the last key created before it), so one
 * hand-off wakes exactly one waiter — no thundering herd — and re-checks after each wake-up, because a
 * predecessor can leave out of order (timeout, crash). This is the algorithm of etcd's Go concurrency package,
 * so etcdctl lock/elect and Go clients queue in the same line. Each wake-up is reported to the client's listener
 * ({@code queueWaiterWoken}), so a herd would show there.
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
     * Waits until no key under {@code prefix} has a create revision below {@code mine}'s. Each check is one
     * read-only transaction that also reads {@code mine}'s own key at the same revision, so the turn is only
     * given while that key still stands (one round trip, not two, between a predecessor's exit and the turn).
     *
     * @param queue the lock's or election's name, as the client's listener hears of wake-ups
     * @param deadlineNanos a {@link System#nanoTime()} instant; one already passed means "check once, do not wait"
     * @throws SessionExpiredException when the session ends while waiting
     * @throws InterruptedException when the thread is interrupted
     */
    public static Turn awaitTurn(Session session, String queue, Bytes prefix, QueueEntry mine, long deadlineNanos)
            throws InterruptedException {
        Transaction check = Transaction.always(
                Range.prefix(prefix).maxCreateRevision(mine.createRevision() - 1)
                        .sortBy(SortTarget.CREATE_REVISION, SortOrder.DESCEND).limit(1).keysOnly(),
                Range.key(mine.key()).keysOnly());
        while (true) {
            session.ensureAlive("waiting in the queue " + prefix);
            TxnResult r = Interrupts.call(() -> session.client().kv().commit(check));
            boolean stillMine = r.rangeResult(1).first().map(k -> k.createRevision() == mine.createRevision())
                    .orElse(false);
            if (!stillMine) {
                return Turn.KEY_GONE;
            }
            RangeResult before = r.rangeResult(0);
            if (before.kvs().isEmpty()) {
                return Turn.MINE;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return Turn.TIMED_OUT;
            }
            KeyValue predecessor = before.kvs().get(0);
            // From the revision after the read: a delete between the read and the watch is replayed, not missed.
            if (!WatchWait.untilWoken(session, queue, Watch.key(predecessor.key()).fromRevision(r.revision() + 1)
                    .withoutPuts(), event -> event instanceof DeleteEvent, deadlineNanos)) {
                return Turn.TIMED_OUT;
            }
        }
    }
}
