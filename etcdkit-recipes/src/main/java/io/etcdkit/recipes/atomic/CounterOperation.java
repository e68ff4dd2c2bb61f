package io.etcdkit.recipes.atomic;

import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.watch.Watches;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One counter operation, from its first read to a known outcome.
 *
 * <p>Each attempt reads the counter and its marker at one revision, computes the new value, and commits a
 * transaction that writes both only if neither changed since that read; a failed compare returns both keys
 * (in the else branch) so the next attempt needs no extra read. Conflicts are retried with jittered back-off.
 *
 * <p>An attempt whose commit has an unknown outcome is resolved before anything else happens (see
 * {@link #decide}). Every attempt compares the marker's mod revision and writes the marker, so two attempts
 * based on the same marker revision exclude each other: that is what makes re-sending an undecided attempt safe.
 *
 * <p>Not thread-safe; one instance per operation, whose steps run one after another.
 */
final class CounterOperation {
    private final Kv kv;
    private final Watches watches;
    private final Bytes key;
    private final Bytes markerKey;
    private final int retries;
    private final Backoff backoff;
    private final Duration deadline;
    private final long deadlineNanos;
    private final long startNanos;
    private final String description;
    private final CounterUpdate update;
    private int attempts;
    private int conflicts;
    private int resolutionRounds;

    /** One attempt's write, as sent: what it was based on, what it writes, and its unique id. */
    private record Attempt(CounterState base, long previous, long next, Bytes opId) {
        CounterChange applied() {
            return new CounterChange(previous, next, true);
        }
    }

    CounterOperation(AtomicCounter counter, String description, CounterUpdate update) {
        this.kv = counter.client().kv();
        this.watches = counter.client().watches();
        this.key = counter.key();
        this.markerKey = counter.markerKey();
        this.retries = counter.retryLimit();
        this.backoff = counter.retryBackoff();
        this.deadline = counter.operationDeadline();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + deadline.toNanos();
        this.description = description;
        this.update = update;
    }

    CompletableFuture<CounterChange> run() {
        return read().thenCompose(this::attempt);
    }

    // ---- the compare-and-swap loop ----------------------------------------------------------------------

    private CompletableFuture<CounterState> read() {
        return call(() -> kv.commitAsync(CounterState.read(key, markerKey))).thenApply(r -> CounterState.from(r, 0));
    }

    private CompletableFuture<CounterChange> attempt(CounterState base) {
        Attempt attempt;
        try {
            long current = base.value();
            OptionalLong next = update.next(current);
            if (next.isEmpty()) {
                return CompletableFuture.completedFuture(new CounterChange(current, current, false));
            }
            attempt = new Attempt(base, current, next.getAsLong(), Bytes.of(UUID.randomUUID().toString()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        attempts++;
        return call(() -> kv.commitAsync(swap(attempt))).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                return cause instanceof OutcomeUnknownException unknown
                        ? resolve(attempt, unknown)
                        : CompletableFuture.<CounterChange>failedFuture(cause); // surely not applied
            }
            return result.succeeded()
                    ? CompletableFuture.completedFuture(attempt.applied())
                    : conflict(CounterState.from(result, 0));
        }).thenCompose(Function.identity());
    }

    /** The compare-and-swap of one attempt; sending it again sends the same operation (same id). */
    private Transaction swap(Attempt attempt) {
        return Transaction.when(
                        Compare.modRevision(key).equalTo(attempt.base().counterModRevision()),
                        Compare.modRevision(markerKey).equalTo(attempt.base().markerModRevision()))
                .then(Put.of(key, Codecs.longs().encode(attempt.next())), Put.of(markerKey, attempt.opId()))
                .otherwise(Range.key(key), Range.key(markerKey));
    }

    /** Another writer came first; {@code fresh} is the state now. */
    private CompletableFuture<CounterChange> conflict(CounterState fresh) {
        conflicts++;
        if (conflicts > retries) {
            return CompletableFuture.failedFuture(contention("its retry limit of " + retries + " was reached"));
        }
        if (remainingNanos() <= 0) {
            return CompletableFuture.failedFuture(contention("its deadline of " + deadline + " passed"));
        }
        if (conflicts == 1) {
            return attempt(fresh); // the state from the failed compare is seconds-fresh: try again at once
        }
        return delay(backoff.delayNanos(conflicts - 1)).thenCompose(x -> read()).thenCompose(this::attempt);
    }

    // ---- resolving an unknown outcome ---------------------------------------------------------------------

    /** {@code attempt} may or may not have been applied: learn which, without ever applying it twice. */
    private CompletableFuture<CounterChange> resolve(Attempt attempt, OutcomeUnknownException cause) {
        resolutionRounds++;
        if (remainingNanos() <= 0) {
            return CompletableFuture.failedFuture(undecided(attempt, "the operation's deadline of " + deadline
                    + " passed before etcd could tell", cause));
        }
        CompletableFuture<Void> pause = resolutionRounds == 1
                ? CompletableFuture.completedFuture(null)
                : delay(backoff.delayNanos(resolutionRounds - 1));
        return pause.thenCompose(x -> read()).handle((state, failure) -> failure == null
                        ? decide(attempt, state, cause)
                        : resolve(attempt, withSuppressed(cause, unwrap(failure)))) // keep reading until the deadline
                .thenCompose(Function.identity());
    }

    /**
     * Decides the outcome of {@code attempt} from {@code now}, a read made after the unknown outcome.
     * <ol>
     *   <li>The marker holds the attempt's id: applied.</li>
     *   <li>Neither key changed since the attempt's base: not applied yet, but a delayed copy still could be.
     *       Send the very same transaction again: both copies compare the same revisions, so at most one applies,
     *       and whichever does, the marker then names this attempt.</li>
     *   <li>Only the counter changed (a plain put by another tool): the attempt's compare can never hold again,
     *       so it was not applied; retry as after a conflict.</li>
     *   <li>The marker changed: the attempt applied exactly if it made the marker's first change after the base
     *       revision, since any earlier change would have failed its compare. That change is looked up in etcd's
     *       history; if the history is compacted the outcome cannot be known and the caller is told so.</li>
     * </ol>
     */
    private CompletableFuture<CounterChange> decide(Attempt attempt, CounterState now, OutcomeUnknownException cause) {
        CounterState base = attempt.base();
        if (now.markerHolds(attempt.opId())) {
            return CompletableFuture.completedFuture(attempt.applied());
        }
        if (now.markerModRevision() == base.markerModRevision()) {
            if (now.counterModRevision() == base.counterModRevision()) {
                return resend(attempt, cause);
            }
            return conflict(now);
        }
        return call(() -> FirstChange.after(watches, markerKey, base.revision(), remainingNanos()))
                .handle((first, failure) -> {
                    if (failure != null) {
                        Throwable f = unwrap(failure);
                        String why = f instanceof TimeoutException
                                ? "etcd's history could not be read before the operation's deadline of " + deadline
                                : "etcd's history could not be read (" + f.getMessage() + ")";
                        return CompletableFuture.<CounterChange>failedFuture(
                                undecided(attempt, why, withSuppressed(cause, f)));
                    }
                    if (first instanceof FirstChange.Written w && w.kv().value().equals(attempt.opId())) {
                        return CompletableFuture.completedFuture(attempt.applied());
                    }
                    if (first instanceof FirstChange.Compacted c) {
                        return CompletableFuture.<CounterChange>failedFuture(undecided(attempt, "etcd's history "
                                + "after revision " + base.revision() + " has been compacted (up to revision "
                                + c.compactRevision() + "), so whether it made the marker's next change is lost",
                                cause));
                    }
                    return conflict(now);
                }).thenCompose(Function.identity());
    }

    private CompletableFuture<CounterChange> resend(Attempt attempt, OutcomeUnknownException cause) {
        return call(() -> kv.commitAsync(swap(attempt))).handle((result, failure) -> {
            if (failure != null) {
                Throwable f = unwrap(failure);
                if (f instanceof OutcomeUnknownException unknown) {
                    return resolve(attempt, unknown);
                }
                if (f instanceof EtcdException) {
                    // This copy surely was not applied, but the first one is still undecided: keep resolving.
                    return resolve(attempt, withSuppressed(cause, f));
                }
                return CompletableFuture.<CounterChange>failedFuture(f);
            }
            return result.succeeded()
                    ? CompletableFuture.completedFuture(attempt.applied())
                    : decide(attempt, CounterState.from(result, 0), cause);
        }).thenCompose(Function.identity());
    }

    // ---- errors -------------------------------------------------------------------------------------------

    private CounterContentionException contention(String why) {
        return new CounterContentionException(description + " on counter '" + key + "' gave up after " + attempts
                + " attempts in " + elapsed() + ": other writers changed the counter before each of them, and "
                + why + ". Nothing was written by this call, so it may be repeated. Raise retries(..) or deadline(..)"
                + ", or spread the load over several counters", key, attempts);
    }

    private OutcomeUnknownException undecided(Attempt attempt, String why, Throwable cause) {
        long from = attempt.base().revision() + 1;
        return new OutcomeUnknownException(description + " on counter '" + key + "' (writing " + attempt.next()
                + ") may or may not have been applied, and it could not be decided: " + why + ". It was not "
                + "retried, so it applied at most once. It applied exactly if the first change of '" + markerKey
                + "' from revision " + from + " on wrote '" + attempt.opId() + "' (etcdctl watch --rev=" + from
                + " " + markerKey + ")", cause);
    }

    private String elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis() + " ms";
    }

    // ---- plumbing -----------------------------------------------------------------------------------------

    private long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    private CompletableFuture<Void> delay(long nanos) {
        long wait = Math.max(0, Math.min(nanos, remainingNanos()));
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS));
    }

    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static OutcomeUnknownException withSuppressed(OutcomeUnknownException cause, Throwable later) {
        if (later != cause && cause.getSuppressed().length < 8) {
            cause.addSuppressed(later);
        }
        return cause;
    }
}
