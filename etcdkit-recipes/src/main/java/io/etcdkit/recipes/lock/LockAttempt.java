package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.recipes.internal.Deadlines;
import io.etcdkit.recipes.internal.PredecessorWaiter;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One acquisition of a {@link QueuedLock}, without a parked thread: the session's local permit, the join, the wait
 * for the turn, each a future whose completion starts the next step. {@link #result} completes with the hold
 * (empty when the deadline passed or, for a non-waiting attempt, the lock was not free); cancelling it withdraws
 * the attempt at whatever step it is: the local request is dropped, or the waiter's key deleted. {@link #withdrawn}
 * completes once an attempt that did not hold has cleaned up (so a blocking caller can return after its key is
 * gone).
 */
final class LockAttempt {
    final CompletableFuture<Optional<HeldLock>> result = new CompletableFuture<>();
    final CompletableFuture<Void> withdrawn = new CompletableFuture<>();
    private final QueuedLock lock;
    private final Session session;
    private final SessionSlot slot;
    private final Bytes keyPrefix;
    private final Bytes waitPrefix;
    private final long deadlineNanos;
    private final boolean wait;
    private final Thread owner;
    private final long startNanos = System.nanoTime();
    private volatile Future<?> step;

    LockAttempt(QueuedLock lock, Session session, SessionSlot slot, Bytes keyPrefix, Bytes waitPrefix,
            long deadlineNanos, boolean wait, Thread owner) {
        this.lock = lock;
        this.session = session;
        this.slot = slot;
        this.keyPrefix = keyPrefix;
        this.waitPrefix = waitPrefix;
        this.deadlineNanos = deadlineNanos;
        this.wait = wait;
        this.owner = owner;
    }

    LockAttempt start() {
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                Future<?> s = step;
                if (s != null) {
                    s.cancel(false);
                }
            }
        });
        if (!wait) {
            if (slot.tryEnter()) {
                join();
            } else {
                ended(Optional.empty());
            }
            return this;
        }
        CompletableFuture<Void> permit = slot.enterAsync();
        step = permit;
        ScheduledFuture<?> timer = permit.isDone() ? null : Deadlines.at(deadlineNanos, () -> permit.cancel(false));
        permit.whenComplete((v, e) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (e != null) {
                ended(Optional.empty()); // withdrawn before the permit came: the deadline or the caller's cancel
            } else if (result.isDone()) {
                slot.giveUpAsync(session, keyPrefix, null).whenComplete((x, y) -> withdrawn.complete(null));
            } else {
                join();
            }
        });
        if (result.isCancelled()) {
            permit.cancel(false);
        }
        return this;
    }

    /** Joins the queue (the local permit is this attempt's). */
    private void join() {
        CompletableFuture<QueueEntry> joining;
        try {
            session.ensureAlive(lock.description());
            joining = QueueEntry.joinAsync(session, keyPrefix, Bytes.of(QueuedLock.holderDescription()));
        } catch (RuntimeException e) {
            joining = CompletableFuture.failedFuture(e);
        }
        joining.whenComplete((entry, e) -> {
            if (e != null) {
                giveUp(null, unwrap(e)); // the outcome may be unknown: the key is deleted outright
            } else if (result.isDone()) {
                giveUp(entry, null);
            } else if (keyPrefix.equals(waitPrefix) && entry.isHead()) {
                // the join read the head in the revision that wrote the key: the first in line needs no other read
                hold(entry);
            } else {
                awaitTurn(entry);
            }
        });
    }

    private void awaitTurn(QueueEntry entry) {
        CompletableFuture<PredecessorWaiter.Turn> turn = PredecessorWaiter.awaitTurnAsync(session,
                lock.reportedName(), waitPrefix, entry, wait ? deadlineNanos : System.nanoTime());
        step = turn;
        if (result.isDone()) {
            turn.cancel(false);
        }
        turn.whenComplete((t, e) -> {
            if (e != null) {
                giveUp(entry, result.isCancelled() ? null : unwrap(e));
            } else if (t == PredecessorWaiter.Turn.MINE) {
                hold(entry);
            } else if (t == PredecessorWaiter.Turn.TIMED_OUT) {
                giveUp(entry, null);
            } else {
                giveUp(entry, new SessionExpiredException(lock.description() + ": this session's key vanished "
                        + "while waiting (the lease expired or was revoked); open a new session"));
            }
        });
    }

    private void hold(QueueEntry entry) {
        if (result.isDone()) {
            giveUp(entry, null);
            return;
        }
        HeldLock held = slot.hold(entry, lock::unlock, lock::unlockAsync, "HeldLock", startNanos, owner);
        if (!result.complete(Optional.of(held))) {
            slot.unhold(entry); // cancelled as it succeeded: give the place back
            giveUp(entry, null);
        }
    }

    /** Removes the key (and frees the local permit), then ends the attempt empty or with {@code failure}. */
    private void giveUp(QueueEntry entry, Throwable failure) {
        slot.giveUpAsync(session, keyPrefix, entry).whenComplete((v, e) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(Optional.empty());
            }
            withdrawn.complete(null);
        });
    }

    private void ended(Optional<HeldLock> empty) {
        result.complete(empty);
        withdrawn.complete(null);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
