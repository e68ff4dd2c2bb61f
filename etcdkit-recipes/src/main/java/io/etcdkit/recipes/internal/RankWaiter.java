package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The fair queue behind counting semaphores: the first {@code places} keys under a prefix, by create revision,
 * are admitted; the rest wait in arrival order. Keys are laid out as {@link QueueEntry} lays them out
 * ({@code prefix + hex(lease)}, attached to the session's lease).
 *
 * <p><b>Why admission is safe.</b> A key is admitted only after a read — inside a transaction whose compares
 * assert the caller's {@code conditions} (e.g. the stored limit) and that the key still exists with its create
 * revision {@code c} — finds fewer than {@code places} keys created before {@code c}. Keys created later get
 * larger revisions, so from then on the number of keys before {@code c} can only shrink: while its key exists an
 * admitted waiter stays among the first {@code places} keys. Only {@code places} keys can be among the first
 * {@code places}, so at every revision at most {@code places} admitted keys exist.
 *
 * <p><b>Why it is fair and herd-free.</b> A release can admit only the first waiter (the key with exactly
 * {@code places} predecessors), so only that waiter watches the prefix for deletes. Every later waiter watches
 * its immediate predecessor for any change: a deletion (it left) or a put, which an admitted waiter writes to its
 * own key ("touch") to say "I am in; you are now first in line". One release thus wakes one or two waiters,
 * never all of them, and a waiter that gives up (timeout, crash) wakes only its successor. Each wake-up is
 * reported to the client's listener ({@code queueWaiterWoken}), so a herd would show there.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class RankWaiter {
    private static final int ATTEMPTS = 5;

    private RankWaiter() {}

    /** How a wait ended. */
    public enum Outcome {
        /** Fewer than {@code places} keys were created before the entry's: it is admitted. */
        ADMITTED,
        /** The deadline passed first; the entry's key is still in the queue (the caller leaves). */
        TIMED_OUT,
        /** A condition failed, or the entry's key is gone; the caller finds out which and reacts. */
        CONDITIONS_FAILED
    }

    /**
     * The result of {@link #join}.
     *
     * @param entry the session's key in the queue
     * @param admitted whether the key was admitted at once (fewer than {@code places} keys were ahead of it when it
     *     was created); false also when a previous attempt had already created the key, since its rank is then not
     *     known — {@link #awaitAdmission} finds out
     */
    public record Joined(QueueEntry entry, boolean admitted) {
    }

    /**
     * Joins the queue at {@code prefix} with the key {@code prefix + hex(lease)}, attached to the session's lease,
     * in one transaction that also asserts {@code conditions} and counts the keys ahead. Idempotent: a key left by
     * an earlier attempt (outcome unknown) is found and reused. Retried when the outcome was unknown.
     *
     * @return the entry, or empty when a condition failed and the key does not exist (nothing was written)
     */
    public static Optional<Joined> join(Session session, Bytes prefix, Bytes value, int places,
            List<Compare> conditions) {
        Bytes key = QueueEntry.keyOf(session, prefix);
        Transaction txn = joinTransaction(key, prefix, value, session, conditions);
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            session.ensureAlive("joining " + prefix);
            TxnResult r;
            try {
                r = session.client().kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                last = e;
                continue;
            }
            return joined(r, key, value, places);
        }
        throw last;
    }

    /**
     * Async form of {@link #join}: the same idempotent transaction, retried when its outcome was unknown, without
     * blocking a thread; completes on the client's callback executor.
     *
     * @return the entry, or empty when a condition failed and the key does not exist (nothing was written)
     */
    public static CompletableFuture<Optional<Joined>> joinAsync(Session session, Bytes prefix, Bytes value,
            int places, List<Compare> conditions) {
        Bytes key = QueueEntry.keyOf(session, prefix);
        Transaction txn = joinTransaction(key, prefix, value, session, conditions);
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> {
            session.ensureAlive("joining " + prefix);
            return session.client().kv().commitAsync(txn);
        }).thenApply(r -> joined(r, key, value, places));
    }

    private static Transaction joinTransaction(Bytes key, Bytes prefix, Bytes value, Session session,
            List<Compare> conditions) {
        Range head = Range.prefix(prefix).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1).keysOnly();
        // The count runs before the put: every key it sees was created before this one.
        return Transaction.when(with(conditions, Compare.absent(key)))
                .then(Range.prefix(prefix).countOnly(), Put.of(key, value).lease(session.leaseId()), head)
                .otherwise(Range.key(key), head);
    }

    private static Optional<Joined> joined(TxnResult r, Bytes key, Bytes value, int places) {
        if (r.succeeded()) {
            KeyValue first = r.rangeResult(2).first().orElseThrow();
            long ahead = r.rangeResult(0).count();
            return Optional.of(new Joined(new QueueEntry(key, r.revision(), value, first), ahead < places));
        }
        Optional<KeyValue> mine = r.rangeResult(0).first();
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        KeyValue first = r.rangeResult(1).first().orElseThrow();
        KeyValue kv = mine.get();
        return Optional.of(new Joined(new QueueEntry(key, kv.createRevision(), kv.value(), first), false));
    }

    /**
     * Waits until fewer than {@code places} keys under {@code prefix} were created before {@code entry}'s key,
     * checking {@code conditions} (and that the key still exists) in the same transaction as every count. On
     * admission it touches its key (a put of the same value and lease) to wake its successor.
     *
     * @param queue the semaphore's name, as the client's listener hears of wake-ups
     * @param deadlineNanos a {@link System#nanoTime()} instant; one already passed means "check once, do not wait"
     * @throws SessionExpiredException when the session ends while waiting
     * @throws InterruptedException when the thread is interrupted
     */
    public static Outcome awaitAdmission(Session session, String queue, Bytes prefix, QueueEntry entry, int places,
            List<Compare> conditions, long deadlineNanos) throws InterruptedException {
        Transaction check = admissionCheck(prefix, entry, places, conditions);
        while (true) {
            session.ensureAlive("waiting in the queue " + prefix);
            TxnResult r = session.client().kv().commit(check); // read-only: retried by the client
            if (!r.succeeded()) {
                return Outcome.CONDITIONS_FAILED;
            }
            List<KeyValue> ahead = r.rangeResult(0).kvs();
            if (ahead.size() < places) {
                return touch(session, entry) ? Outcome.ADMITTED : Outcome.CONDITIONS_FAILED;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return Outcome.TIMED_OUT;
            }
            Watch watch = wakeWatch(prefix, ahead, places, r.revision());
            if (!WatchWait.untilWoken(session, queue, watch,
                    event -> event instanceof DeleteEvent || event instanceof PutEvent, deadlineNanos)) {
                return Outcome.TIMED_OUT;
            }
        }
    }

    /**
     * Async form of {@link #awaitAdmission}: the same reads and watches, driven by their callbacks so no thread
     * waits; completes on the client's callback executor (at the deadline, on the JDK's timer thread). Each
     * watch wait is handed to {@code waiting} as it starts, so the caller can cancel it to stop waiting (the
     * returned future then fails with a {@link java.util.concurrent.CancellationException}).
     *
     * @param queue the semaphore's name, as the client's listener hears of wake-ups
     * @param deadlineNanos a {@link System#nanoTime()} instant; one already passed means "check once, do not wait"
     * @param waiting told of each watch wait as it starts
     * @return how the wait ended; fails with {@link SessionExpiredException} when the session ends while waiting
     */
    public static CompletableFuture<Outcome> awaitAdmissionAsync(Session session, String queue, Bytes prefix,
            QueueEntry entry, int places, List<Compare> conditions, long deadlineNanos,
            Consumer<CompletableFuture<?>> waiting) {
        return checkAsync(session, queue, prefix, entry, places, admissionCheck(prefix, entry, places, conditions),
                deadlineNanos, waiting);
    }

    private static CompletableFuture<Outcome> checkAsync(Session session, String queue, Bytes prefix,
            QueueEntry entry, int places, Transaction check, long deadlineNanos,
            Consumer<CompletableFuture<?>> waiting) {
        try {
            session.ensureAlive("waiting in the queue " + prefix);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return session.client().kv().commitAsync(check).thenCompose(r -> { // read-only: retried by the client
            if (!r.succeeded()) {
                return CompletableFuture.completedFuture(Outcome.CONDITIONS_FAILED);
            }
            List<KeyValue> ahead = r.rangeResult(0).kvs();
            if (ahead.size() < places) {
                return touchAsync(session, entry).thenApply(ok -> ok ? Outcome.ADMITTED : Outcome.CONDITIONS_FAILED);
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return CompletableFuture.completedFuture(Outcome.TIMED_OUT);
            }
            CompletableFuture<Boolean> wait = AsyncWatchWait.untilWoken(session, queue, wakeWatch(prefix, ahead,
                    places, r.revision()), event -> event instanceof DeleteEvent || event instanceof PutEvent,
                    deadlineNanos);
            waiting.accept(wait);
            return wait.thenCompose(woken -> woken
                    ? checkAsync(session, queue, prefix, entry, places, check, deadlineNanos, waiting)
                    : CompletableFuture.completedFuture(Outcome.TIMED_OUT));
        });
    }

    private static Transaction admissionCheck(Bytes prefix, QueueEntry entry, int places, List<Compare> conditions) {
        return Transaction.when(with(conditions, entry.guard()))
                .then(Range.prefix(prefix).maxCreateRevision(entry.createRevision() - 1)
                        .sortBy(SortTarget.CREATE_REVISION, SortOrder.DESCEND).limit(places + 1L).keysOnly());
    }

    /**
     * Exactly {@code places} ahead: first in line, any delete ahead may admit us. More: wait for the one just
     * ahead to leave or to be admitted (it then touches its key).
     */
    private static Watch wakeWatch(Bytes prefix, List<KeyValue> ahead, int places, long revision) {
        return ahead.size() == places
                ? Watch.prefix(prefix).fromRevision(revision + 1).withoutPuts()
                : Watch.key(ahead.get(0).key()).fromRevision(revision + 1);
    }

    private static CompletableFuture<Boolean> touchAsync(Session session, QueueEntry entry) {
        Transaction txn = Transaction.when(entry.guard())
                .then(Put.of(entry.key(), entry.value()).lease(session.leaseId()));
        // a second touch is harmless: it only wakes the successor once more
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> session.client().kv().commitAsync(txn))
                .thenApply(TxnResult::succeeded);
    }

    private static boolean touch(Session session, QueueEntry entry) {
        Transaction txn = Transaction.when(entry.guard())
                .then(Put.of(entry.key(), entry.value()).lease(session.leaseId()));
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return session.client().kv().commit(txn).succeeded();
            } catch (OutcomeUnknownException e) {
                last = e; // a second touch is harmless: it only wakes the successor once more
            }
        }
        throw last;
    }

    private static List<Compare> with(List<Compare> conditions, Compare extra) {
        List<Compare> all = new ArrayList<>(conditions.size() + 1);
        all.addAll(conditions);
        all.add(extra);
        return all;
    }
}
