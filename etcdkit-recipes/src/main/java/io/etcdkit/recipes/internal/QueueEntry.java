package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.session.Session;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A session's place in a queue of keys under a prefix: the key {@code prefix + hex(leaseId)} attached to the
 * session's lease, as etcd's Go concurrency package lays it out (so etcdctl lock/elect interoperate). Joining is
 * one transaction that creates the key if absent (or finds it, when a previous attempt's outcome was unknown)
 * and reads the queue's head in the same revision.
 *
 * @param key the session's key in the queue
 * @param createRevision the key's create revision: its place in line, and the fencing token of a lock
 * @param value the value stored at the key
 * @param head the first key of the queue (lowest create revision) at join time
 */
public record QueueEntry(Bytes key, long createRevision, Bytes value, KeyValue head) {
    private static final int ATTEMPTS = 5;

    /** The session's key in the queue at {@code prefix}. */
    public static Bytes keyOf(Session session, Bytes prefix) {
        return prefix.concat(Bytes.of(Long.toHexString(session.leaseId())));
    }

    /**
     * Joins the queue (idempotent: joining twice finds the same key). Retries when the outcome of the join was
     * unknown, since the transaction is safe to repeat.
     */
    public static QueueEntry join(Session session, Bytes prefix, Bytes value) {
        Bytes key = keyOf(session, prefix);
        Transaction txn = joining(session, prefix, key, value);
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            session.ensureAlive("joining " + prefix);
            TxnResult r;
            try {
                r = session.client().kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e; // the caller was interrupted, not the write lost: it gives up (and cleans up)
                }
                last = e;
                continue;
            }
            return joined(key, value, r);
        }
        throw last;
    }

    /**
     * Asynchronous form of {@link #join}: completes on the client's callback executor; a join whose outcome was
     * unknown is repeated (it is idempotent).
     *
     * @param session the session whose key joins
     * @param prefix the queue's prefix
     * @param value the value to store at the key
     * @return the entry
     */
    public static CompletableFuture<QueueEntry> joinAsync(Session session, Bytes prefix, Bytes value) {
        Bytes key = keyOf(session, prefix);
        Transaction txn = joining(session, prefix, key, value);
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> {
            session.ensureAlive("joining " + prefix);
            return session.client().kv().commitAsync(txn);
        }).thenApply(r -> joined(key, value, r));
    }

    private static Transaction joining(Session session, Bytes prefix, Bytes key, Bytes value) {
        return Transaction.when(Compare.createRevision(key).equalTo(0))
                .then(Put.of(key, value).lease(session.leaseId()),
                        Range.prefix(prefix).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1))
                .otherwise(Range.key(key),
                        Range.prefix(prefix).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1));
    }

    private static QueueEntry joined(Bytes key, Bytes value, TxnResult r) {
        KeyValue head = r.rangeResult(1).first().orElseThrow();
        if (r.succeeded()) {
            return new QueueEntry(key, r.revision(), value, head);
        }
        KeyValue mine = r.rangeResult(0).first().orElseThrow();
        return new QueueEntry(key, mine.createRevision(), mine.value(), head);
    }

    /** Whether this entry was at the head of the queue when it joined. */
    public boolean isHead() {
        return head.createRevision() == createRevision;
    }

    /** A compare that holds only while this entry's key still exists with its create revision. */
    public Compare guard() {
        return Compare.createRevision(key).equalTo(createRevision);
    }

    /** Whether the key still exists with this entry's create revision. */
    public boolean stillQueued(Session session) {
        return session.client().kv().get(key).map(kv -> kv.createRevision() == createRevision).orElse(false);
    }

    /**
     * Leaves the queue: deletes the key only if it is still this entry's (revision-checked), so a stale holder
     * never deletes a successor's key. Idempotent; retried when the outcome is unknown.
     */
    public void leave(Session session) {
        Transaction txn = Transaction.when(guard()).then(Delete.key(key));
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                session.client().kv().commit(txn);
                return;
            } catch (OutcomeUnknownException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Asynchronous form of {@link #leave}: completes on the client's callback executor.
     *
     * @param session the session whose key leaves
     * @return completes when the key is gone (or was not this entry's any more)
     */
    public CompletableFuture<Void> leaveAsync(Session session) {
        Transaction txn = Transaction.when(guard()).then(Delete.key(key));
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> session.client().kv().commitAsync(txn)).thenApply(r -> null);
    }

    /**
     * Asynchronous form of {@link #abandon}: completes on the client's callback executor.
     *
     * @param session the session whose key is removed
     * @param prefix the queue's prefix
     * @return completes when the key is gone
     */
    public static CompletableFuture<Void> abandonAsync(Session session, Bytes prefix) {
        Bytes key = keyOf(session, prefix);
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> session.client().kv().deleteAsync(key)).thenApply(r -> null);
    }

    /**
     * Removes the session's key from the queue when a join was cut short (interrupt, failure) and its outcome is
     * not known. Only for recipes that own the key exclusively (one instance per session and prefix).
     */
    public static void abandon(Session session, Bytes prefix) {
        Bytes key = keyOf(session, prefix);
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                session.client().kv().delete(key);
                return;
            } catch (OutcomeUnknownException e) {
                // deleting is idempotent: try again
            }
        }
    }

    /** Whether a value is present. */
    public Optional<Bytes> valueIfAny() {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
