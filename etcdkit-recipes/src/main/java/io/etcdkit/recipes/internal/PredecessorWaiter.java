package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.Watch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fair queue behind locks and elections: a waiter's turn comes when no key under the queue's prefix was
 * created before its own. It watches only its immediate predecessor (the last key created before it), so one
 * hand-off wakes exactly one waiter — no thundering herd — and re-checks after each wake-up, because a
 * predecessor can leave out of order (timeout, crash). This is the algorithm of etcd's Go concurrency package,
 * so etcdctl lock/elect and Go clients queue in the same line.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class PredecessorWaiter {
    /** Work done by waiters in this JVM, for tests and diagnostics (the herd check counts these). */
    public static final AtomicLong PREDECESSOR_READS = new AtomicLong();
    /** Watches started on predecessors. */
    public static final AtomicLong PREDECESSOR_WATCHES = new AtomicLong();
    /** Wake-ups: a watched predecessor was deleted. */
    public static final AtomicLong WAKEUPS = new AtomicLong();

    private PredecessorWaiter() {}

    /**
     * Waits until no key under {@code prefix} has a create revision below {@code myRevision}.
     *
     * @return true when it is this waiter's turn; false when {@code deadlineNanos} (a {@link System#nanoTime()}
     *     instant) passed first — a deadline already passed means "check once, do not wait"
     * @throws SessionExpiredException when the session ends while waiting
     * @throws InterruptedException when the thread is interrupted
     */
    public static boolean awaitTurn(Session session, Bytes prefix, long myRevision, long deadlineNanos)
            throws InterruptedException {
        while (true) {
            session.ensureAlive("waiting in the queue " + prefix);
            PREDECESSOR_READS.incrementAndGet();
            RangeResult before = Interrupts.call(() -> session.client().kv().range(Range.prefix(prefix)
                    .maxCreateRevision(myRevision - 1).sortBy(SortTarget.CREATE_REVISION, SortOrder.DESCEND)
                    .limit(1).keysOnly()));
            if (before.kvs().isEmpty()) {
                return true;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            KeyValue predecessor = before.kvs().get(0);
            if (!awaitDeletion(session, predecessor.key(), before.revision(), deadlineNanos)) {
                return false;
            }
        }
    }

    private static boolean awaitDeletion(Session session, Bytes key, long seenAt, long deadlineNanos)
            throws InterruptedException {
        PREDECESSOR_WATCHES.incrementAndGet();
        // From the revision after the read: a delete between the read and the watch is replayed, not missed.
        boolean woken = WatchWait.until(session, Watch.key(key).fromRevision(seenAt + 1).withoutPuts(),
                event -> event instanceof DeleteEvent, deadlineNanos);
        if (woken) {
            WAKEUPS.incrementAndGet();
        }
        return woken;
    }
}
