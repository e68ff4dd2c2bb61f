package io.etcdkit.recipes.election;

import io.etcdkit.Bytes;
import io.etcdkit.recipes.internal.Deadlines;
import io.etcdkit.recipes.internal.LocalPermit;
import io.etcdkit.recipes.internal.PredecessorWaiter;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One campaign of a {@link LeaderElection}, without a parked thread: the election's one-campaign permit, the join
 * (and a proclaim when a queued candidacy had another value), the wait for the turn — each a future whose
 * completion starts the next step. {@link #result} is empty when the deadline passed; cancelling it withdraws the
 * candidacy at whatever step it is. {@link #withdrawn} completes once a campaign that did not win has cleaned up.
 */
final class Campaign {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Campaign.class);

    final CompletableFuture<Optional<Leadership>> result = new CompletableFuture<>();
    final CompletableFuture<Void> withdrawn = new CompletableFuture<>();
    private final Session session;
    private final String name;
    private final Bytes prefix;
    private final Bytes value;
    private final LocalPermit permit;
    private final long deadlineNanos;
    private final BiFunction<QueueEntry, Bytes, CompletableFuture<QueueEntry>> proclaim;
    private final Function<QueueEntry, Leadership> won;
    private volatile Future<?> step;

    /**
     * @param proclaim puts the value on an already queued candidacy (revision-checked)
     * @param won records the leadership and returns its handle (the permit is then the leadership's)
     */
    Campaign(Session session, String name, Bytes prefix, Bytes value, LocalPermit permit, long deadlineNanos,
            BiFunction<QueueEntry, Bytes, CompletableFuture<QueueEntry>> proclaim, Function<QueueEntry, Leadership> won) {
        this.session = session;
        this.name = name;
        this.prefix = prefix;
        this.value = value;
        this.permit = permit;
        this.deadlineNanos = deadlineNanos;
        this.proclaim = proclaim;
        this.won = won;
    }

    Campaign start() {
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                Future<?> s = step;
                if (s != null) {
                    s.cancel(false);
                }
            }
        });
        CompletableFuture<Void> mine = permit.acquire();
        step = mine;
        ScheduledFuture<?> timer = mine.isDone() ? null : Deadlines.at(deadlineNanos, () -> mine.cancel(false));
        mine.whenComplete((v, e) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (e != null) {
                result.complete(Optional.empty());
                withdrawn.complete(null);
            } else if (result.isDone()) {
                permit.release();
                withdrawn.complete(null);
            } else {
                join();
            }
        });
        if (result.isCancelled()) {
            mine.cancel(false);
        }
        return this;
    }

    private void join() {
        CompletableFuture<QueueEntry> joining;
        try {
            session.ensureAlive("campaign in '" + name + "'");
            joining = QueueEntry.joinAsync(session, prefix, value).thenCompose(entry ->
                    entry.value().equals(value) ? CompletableFuture.completedFuture(entry) : proclaim.apply(entry, value));
        } catch (RuntimeException e) {
            joining = CompletableFuture.failedFuture(e);
        }
        joining.whenComplete((entry, e) -> {
            if (e != null) {
                giveUp(null, unwrap(e));
            } else if (result.isDone()) {
                giveUp(entry, null);
            } else if (entry.isHead()) {
                // the join read the head in the revision that wrote (or found) the key: no other read
                win(entry);
            } else {
                awaitTurn(entry);
            }
        });
    }

    private void awaitTurn(QueueEntry entry) {
        CompletableFuture<PredecessorWaiter.Turn> turn = PredecessorWaiter.awaitTurnAsync(session, name, prefix,
                entry, deadlineNanos);
        step = turn;
        if (result.isDone()) {
            turn.cancel(false);
        }
        turn.whenComplete((t, e) -> {
            if (e != null) {
                giveUp(entry, result.isCancelled() ? null : unwrap(e));
            } else if (t == PredecessorWaiter.Turn.MINE) {
                win(entry);
            } else if (t == PredecessorWaiter.Turn.TIMED_OUT) {
                giveUp(entry, null);
            } else {
                giveUp(entry, new SessionExpiredException("election '" + name + "': the candidacy vanished while "
                        + "waiting (the session's lease expired or was revoked); open a new session and campaign "
                        + "again"));
            }
        });
    }

    private void win(QueueEntry entry) {
        if (result.isDone()) {
            giveUp(entry, null);
            return;
        }
        Leadership lead = won.apply(entry);
        if (!result.complete(Optional.of(lead))) {
            // cancelled as it won: resign, without a waiting thread
            lead.resignAsync().whenComplete((r, e) -> {
                if (e != null) {
                    LOG.warn("resigning {}, won as its campaign was cancelled, failed; the leadership ends with the "
                            + "session", lead, e);
                }
            });
        }
    }

    /** Withdraws the candidacy and frees the permit, then ends the campaign empty or with {@code failure}. */
    private void giveUp(QueueEntry entry, Throwable failure) {
        CompletableFuture<Void> leaving;
        try {
            leaving = entry != null ? entry.leaveAsync(session) : QueueEntry.abandonAsync(session, prefix);
        } catch (RuntimeException e) {
            leaving = CompletableFuture.failedFuture(e);
        }
        leaving.whenComplete((v, e) -> {
            // on failure the key is attached to the lease: gone with the session at the latest
            permit.release();
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(Optional.empty());
            }
            withdrawn.complete(null);
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
