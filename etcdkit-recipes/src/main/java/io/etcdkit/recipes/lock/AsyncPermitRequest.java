package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.internal.RankWaiter;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One async acquisition of a {@link Semaphore} permit: the same steps as the blocking one (local turn, join,
 * wait for admission, hold), each started from the previous step's callback so no thread waits. Whatever ends
 * it other than a permit — time-out, failure, the caller cancelling the future — first removes the waiter's key
 * and frees the local turn, then completes the future.
 */
final class AsyncPermitRequest {
    private final Semaphore semaphore;
    private final Session session;
    private final SessionSlot slot;
    private final long deadlineNanos;
    private final boolean wait;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<Optional<Permit>> result = new CompletableFuture<>();
    private volatile CompletableFuture<?> waiting; // the current local turn or watch wait, cancelled with result
    private volatile QueueEntry entry;

    AsyncPermitRequest(Semaphore semaphore, long deadlineNanos, boolean wait) {
        this.semaphore = semaphore;
        this.session = semaphore.session();
        this.slot = semaphore.slot();
        this.deadlineNanos = deadlineNanos;
        this.wait = wait;
    }

    /**
     * The permit of {@code request}, or {@code empty}'s failure when it ends without one; cancelling the returned
     * future cancels the request (which withdraws).
     */
    static CompletableFuture<Permit> orFail(Semaphore semaphore, CompletableFuture<Optional<Permit>> request,
            Supplier<? extends Throwable> empty) {
        CompletableFuture<Permit> out = new CompletableFuture<>();
        request.whenComplete((p, e) -> {
            if (e != null) {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else if (p.isPresent()) {
                if (!out.complete(p.get())) {
                    semaphore.releaseAsync(); // cancelled just after the permit was granted: give it back
                }
            } else {
                out.completeExceptionally(empty.get());
            }
        });
        out.whenComplete((p, e) -> {
            if (out.isCancelled()) {
                request.cancel(false);
            }
        });
        return out;
    }

    CompletableFuture<Optional<Permit>> start() {
        result.whenComplete((p, e) -> {
            CompletableFuture<?> w = waiting;
            if (result.isCancelled() && w != null) {
                w.cancel(false); // its handler then withdraws
            }
        });
        if (!wait) {
            if (!slot.tryEnter()) {
                result.complete(Optional.empty());
                return result;
            }
            afterTurn();
            return result;
        }
        CompletableFuture<Void> turn = slot.enterAsync();
        waiting = turn;
        if (!turn.isDone()) {
            // Queued behind this session's own holder: give up the local turn at the deadline.
            CompletableFuture<Void> expiry = new CompletableFuture<Void>()
                    .completeOnTimeout(null, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            expiry.thenRun(() -> {
                if (turn.cancel(false)) {
                    result.complete(Optional.empty());
                }
            });
            turn.whenComplete((v, e) -> expiry.cancel(false));
        }
        turn.whenComplete((v, e) -> {
            if (e == null) {
                afterTurn();
            } else if (!(e instanceof CancellationException)) {
                result.completeExceptionally(e); // cannot happen: turns are only completed or cancelled
            }
        });
        if (result.isCancelled()) {
            turn.cancel(false); // cancelled before the turn was recorded
        }
        return result;
    }

    private void afterTurn() {
        if (result.isDone()) {
            slot.giveUpAsync(session, semaphore.queuePrefix(), null);
            return;
        }
        try {
            session.ensureAlive("acquiring a permit of semaphore '" + semaphore.name() + "'");
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        join(0);
    }

    private void join(int attempt) {
        Bytes value = Bytes.of(QueuedLock.holderDescription());
        RankWaiter.joinAsync(session, semaphore.queuePrefix(), value, semaphore.permits(), semaphore.limitHolds())
                .whenComplete((joined, e) -> {
                    if (e != null) {
                        fail(e);
                    } else if (joined.isEmpty()) {
                        if (attempt + 1 >= Semaphore.ATTEMPTS) {
                            fail(semaphore.limitKeepsChangingError());
                        } else { // deleted: recreated; changed: a mismatch error
                            semaphore.ensureStoredLimitAsync().whenComplete((v, e2) -> {
                                if (e2 != null) {
                                    fail(e2);
                                } else {
                                    join(attempt + 1);
                                }
                            });
                        }
                    } else {
                        entry = joined.get().entry();
                        if (joined.get().admitted()) {
                            admit();
                        } else {
                            await(0);
                        }
                    }
                });
    }

    private void await(int attempt) {
        if (result.isDone()) {
            fail(new CancellationException());
            return;
        }
        QueueEntry e = entry;
        RankWaiter.awaitAdmissionAsync(session, semaphore.name(), semaphore.queuePrefix(), e, semaphore.permits(),
                semaphore.limitHolds(), wait ? deadlineNanos : System.nanoTime(), w -> {
                    waiting = w;
                    if (result.isDone()) {
                        w.cancel(false);
                    }
                }).whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        fail(failure);
                        return;
                    }
                    switch (outcome) {
                        case ADMITTED -> admit();
                        case TIMED_OUT -> withdraw(null);
                        case CONDITIONS_FAILED -> recheck(e, attempt);
                    }
                });
    }

    /** A condition failed: the key is gone (the session ended) or the limit changed. */
    private void recheck(QueueEntry e, int attempt) {
        session.client().kv().getAsync(e.key()).whenComplete((kv, failure) -> {
            if (failure != null) {
                fail(failure);
            } else if (kv.map(k -> k.createRevision() != e.createRevision()).orElse(true)) {
                try {
                    session.ensureAlive("semaphore '" + semaphore.name() + "'");
                    fail(new SessionExpiredException("semaphore '" + semaphore.name() + "': this session's key "
                            + e.key() + " vanished while waiting (the lease expired or was revoked); open a new "
                            + "session"));
                } catch (RuntimeException ended) {
                    fail(ended);
                }
            } else if (attempt + 1 >= Semaphore.ATTEMPTS) {
                fail(semaphore.limitKeepsChangingError());
            } else {
                semaphore.ensureStoredLimitAsync().whenComplete((v, e2) -> {
                    if (e2 != null) {
                        fail(e2);
                    } else {
                        await(attempt + 1);
                    }
                });
            }
        });
    }

    private void admit() {
        Permit permit = slot.holdAsync(entry, semaphore::release, semaphore::releaseAsync, "Permit", startNanos);
        if (!result.complete(Optional.of(permit))) {
            slot.releaseAsync(session); // cancelled at the same moment: give the permit back
        }
    }

    /** Removes the waiter's key and frees the local turn, then ends the request: empty, or {@code failure}. */
    private void withdraw(Throwable failure) {
        slot.giveUpAsync(session, semaphore.queuePrefix(), entry).whenComplete((v, e) -> {
            if (failure == null) {
                result.complete(Optional.empty());
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    private void fail(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        withdraw(cause);
    }
}
