package io.etcdkit.recipes.workqueue;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.internal.Deadlines;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.recipes.session.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Claims items of a {@link WorkQueue} under one session's lease, and acknowledges or returns them. Thread-safe:
 * several threads may claim through one consumer (their claims share the session's lease). Closing a consumer
 * does not end its session; items it still holds stay claimed until acknowledged, returned or the session ends.
 */
public final class WorkConsumer implements AutoCloseable {
    /** Items per batch transaction (ack of several claims): three operations each, within etcd's limit of 128. */
    private static final int MAX_PER_TXN = ClaimPass.MAX_PER_TXN;

    private final WorkQueue queue;
    private final QueueLayout layout;
    private final Session session;
    private final ClaimWatcher watcher;
    private final ClaimPass pass;
    /** The wake-up futures of this consumer's claims waiting now; the session's end completes them. */
    private final Set<CompletableFuture<String>> waiting = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<SessionState> sessionEnded;
    private volatile boolean closed;

    WorkConsumer(WorkQueue queue, Session session, ClaimWatcher watcher) {
        this.queue = queue;
        this.layout = queue.layout();
        this.session = session;
        this.watcher = watcher;
        this.pass = new ClaimPass(queue, session, watcher);
        this.sessionEnded = session.ended();
        sessionEnded.whenComplete((state, error) -> waiting.forEach(f -> f.complete(null)));
    }

    /** {@return the session whose lease holds this consumer's claims} */
    public Session session() {
        return session;
    }

    /**
     * Claims one item, waiting up to {@code timeout} for one to become available.
     *
     * @param timeout how long to wait; zero means "only if one is available now"
     * @return the claim, or empty at the timeout
     * @throws SessionExpiredException if the session ended
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public Optional<Claim> claim(Duration timeout) throws InterruptedException {
        List<Claim> one = claimBatch(1, timeout);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
    }

    /**
     * Claims up to {@code max} items: waits up to {@code timeout} for the first, then takes what else is visible
     * without waiting more.
     *
     * @param max 1 or more
     * @param timeout how long to wait for the first item; zero means "only what is available now"
     * @return the claims, empty at the timeout
     * @throws InvalidArgumentException if {@code max < 1} or the timeout is negative
     * @throws SessionExpiredException if the session ended
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public List<Claim> claimBatch(int max, Duration timeout) throws InterruptedException {
        checkClaim(max, timeout);
        long deadline = System.nanoTime() + Deadlines.nanos(timeout);
        while (true) {
            ensureOpen();
            ClaimPass.Attempt attempt = pass.run(max);
            if (!attempt.claims().isEmpty() || waitNanos(deadline, attempt) <= 0) {
                return attempt.claims();
            }
            // Nothing to take: stand in the queue's line (a key under waiters/, seen by every process's watch), so
            // that each item queued from now on wakes the oldest waiter of all processes, and only that one.
            ClaimWatcher.Waiter waiter = watcher.register(session);
            boolean looksAgain = false;
            try {
                attempt = pass.run(max); // what was queued before the waiter's key existed
                long wait = waitNanos(deadline, attempt);
                if (!attempt.claims().isEmpty() || wait <= 0) {
                    return attempt.claims();
                }
                waitForWakeUp(waiter).get(wait, TimeUnit.NANOSECONDS);
                looksAgain = true;
            } catch (TimeoutException e) {
                looksAgain = true; // the loop claims once more: what became visible meanwhile, or nothing at the end
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for work failed", e.getCause());
            } finally {
                stopWaiting(waiter);
                watcher.unregister(waiter, looksAgain);
            }
        }
    }

    /**
     * Async form of {@link #claim(Duration)}: the same reads and transactions chained from callbacks, the wait a
     * future with a timer; no thread waits.
     *
     * <p>Cancelling the returned future withdraws the claim: a wake-up it had received goes to the next waiting
     * consumer, and an item it claimed as it was cancelled goes back to the queue as it was (no attempt counted).
     *
     * @param timeout how long to wait; zero means "only if one is available now"
     * @return a future of the claim, or of empty at the timeout; it fails with {@link SessionExpiredException} if
     *     the session ended, with {@link IllegalStateException} if this consumer was closed
     * @throws InvalidArgumentException if the timeout is negative or null
     */
    public CompletableFuture<Optional<Claim>> claimAsync(Duration timeout) {
        checkClaim(1, timeout);
        return new AsyncClaim<>(this, pass, watcher, 1, Deadlines.nanos(timeout),
                one -> one.isEmpty() ? Optional.<Claim>empty() : Optional.of(one.get(0))).start();
    }

    /**
     * Async form of {@link #claimBatch(int, Duration)}: waits up to {@code timeout} for the first item, then takes
     * what else is visible, without a waiting thread. Cancelling the returned future withdraws the claim as
     * {@link #claimAsync(Duration)} says.
     *
     * @param max 1 or more
     * @param timeout how long to wait for the first item; zero means "only what is available now"
     * @return a future of the claims, empty at the timeout; it fails with {@link SessionExpiredException} if the
     *     session ended, with {@link IllegalStateException} if this consumer was closed
     * @throws InvalidArgumentException if {@code max < 1} or the timeout is negative or null
     */
    public CompletableFuture<List<Claim>> claimBatchAsync(int max, Duration timeout) {
        checkClaim(max, timeout);
        return new AsyncClaim<>(this, pass, watcher, max, Deadlines.nanos(timeout), List::copyOf).start();
    }

    private static void checkClaim(int max, Duration timeout) {
        if (max < 1) {
            throw new InvalidArgumentException("a batch claim takes at least 1 item, got " + max);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidArgumentException("the claim timeout must be zero or positive, got " + timeout);
        }
    }

    /**
     * The waiter's wake-up, which the session's end completes too. One listener per consumer on the session's end
     * (not one per wait, which would pile up on a long-lived session's future until it ends).
     */
    CompletableFuture<String> waitForWakeUp(ClaimWatcher.Waiter waiter) {
        waiting.add(waiter.woken());
        if (sessionEnded.isDone()) {
            waiter.woken().complete(null);
        }
        return waiter.woken();
    }

    void stopWaiting(ClaimWatcher.Waiter waiter) {
        waiting.remove(waiter.woken());
    }

    /** How long to wait for a wake-up: until the deadline, or until the next delayed item becomes visible. */
    static long waitNanos(long deadline, ClaimPass.Attempt attempt) {
        long wait = deadline - System.nanoTime();
        if (attempt.nextVisibleAtMillis() > 0) {
            wait = Math.min(wait, TimeUnit.MILLISECONDS.toNanos(
                    Math.max(1, attempt.nextVisibleAtMillis() - System.currentTimeMillis())));
        }
        return wait;
    }

    /**
     * Acknowledges a claim: deletes the item, only if the claim still holds (a transaction comparing the claim
     * key's create revision with the claim's token). Safe to call again.
     *
     * @param claim a claim made through this consumer
     * @return true if this ack deleted the item; false if the claim no longer held (the session's lease expired:
     *     the item was or will be delivered again, and the work done under this claim must not be published as
     *     the item's outcome)
     * @throws OutcomeUnknownException if the answer was lost and the lease is gone too, so it cannot be decided
     */
    public boolean ack(Claim claim) {
        List<Op> ops = new ArrayList<>(queue.releaseDedup(claim.record()));
        ops.add(Delete.key(layout.item(claim.id())));
        return settle(claim, ops, "ack");
    }

    /**
     * Returns a claimed item to the back of the queue with its attempt count incremented and {@code error} as its
     * last error; when that was its last allowed attempt it moves, in the same transaction, to the dead letters.
     * Only if the claim still holds (fenced like {@link #ack}).
     *
     * @param claim a claim made through this consumer
     * @param error why processing failed (kept with the item; shown by the dead letters)
     * @return true if this nack applied; false if the claim no longer held
     * @throws OutcomeUnknownException if the answer was lost and the lease is gone too, so it cannot be decided
     */
    public boolean nack(Claim claim, String error) {
        return settle(claim, queue.failureOps(claim.id(), claim.record(), error == null ? "" : error), "nack");
    }

    /**
     * Acknowledges several claims in one transaction when all still hold; otherwise one by one. Each item is
     * deleted only under its own claim's fence, as with {@link #ack}.
     *
     * @param claims claims made through this consumer
     * @return the claims whose items this call deleted (the others no longer held)
     * @throws OutcomeUnknownException if an answer was lost and the lease is gone too
     */
    public List<Claim> ackAll(List<Claim> claims) {
        List<Claim> acked = new ArrayList<>(claims.size());
        for (int from = 0; from < claims.size(); from += MAX_PER_TXN) {
            List<Claim> chunk = claims.subList(from, Math.min(claims.size(), from + MAX_PER_TXN));
            if (chunk.size() == 1) {
                if (ack(chunk.get(0))) {
                    acked.add(chunk.get(0));
                }
                continue;
            }
            if (commitFenced(ackingAll(chunk), "ack of " + chunk.size() + " claims")) {
                acked.addAll(chunk);
            } else {
                for (Claim claim : chunk) {
                    if (ack(claim)) {
                        acked.add(claim);
                    }
                }
            }
        }
        return acked;
    }

    /**
     * Async form of {@link #ack(Claim)}: the same fenced transaction (a lost answer retried after a pause on a
     * delayed executor, then decided by whether the lease lives), no thread waits.
     *
     * @param claim a claim made through this consumer
     * @return a future of true if this ack deleted the item, false if the claim no longer held; it fails with
     *     {@link OutcomeUnknownException} if the answer was lost and the lease is gone too
     */
    public CompletableFuture<Boolean> ackAsync(Claim claim) {
        List<Op> ops = new ArrayList<>(queue.releaseDedup(claim.record()));
        ops.add(Delete.key(layout.item(claim.id())));
        return commitFencedAsync(settling(claim, ops), "ack of " + claim, 0, null);
    }

    /**
     * Async form of {@link #nack(Claim, String)}: the same fenced transaction, no thread waits.
     *
     * @param claim a claim made through this consumer
     * @param error why processing failed (kept with the item; shown by the dead letters)
     * @return a future of true if this nack applied, false if the claim no longer held; it fails with
     *     {@link OutcomeUnknownException} if the answer was lost and the lease is gone too
     */
    public CompletableFuture<Boolean> nackAsync(Claim claim, String error) {
        return commitFencedAsync(settling(claim, queue.failureOps(claim.id(), claim.record(),
                error == null ? "" : error)), "nack of " + claim, 0, null);
    }

    /**
     * Async form of {@link #ackAll(List)}: the same transactions (one per chunk while all its claims hold, else
     * one per claim), each started from the previous one's callback; no thread waits.
     *
     * @param claims claims made through this consumer
     * @return a future of the claims whose items this call deleted (the others no longer held); it fails with
     *     {@link OutcomeUnknownException} if an answer was lost and the lease is gone too
     */
    public CompletableFuture<List<Claim>> ackAllAsync(List<Claim> claims) {
        return ackChunksAsync(List.copyOf(claims), 0, new ArrayList<>());
    }

    private CompletableFuture<List<Claim>> ackChunksAsync(List<Claim> claims, int from, List<Claim> acked) {
        if (from >= claims.size()) {
            return CompletableFuture.completedFuture(acked);
        }
        List<Claim> chunk = claims.subList(from, Math.min(claims.size(), from + MAX_PER_TXN));
        CompletableFuture<Boolean> together = chunk.size() == 1 ? CompletableFuture.completedFuture(false)
                : commitFencedAsync(ackingAll(chunk), "ack of " + chunk.size() + " claims", 0, null);
        return together.thenCompose(all -> {
            if (all) {
                acked.addAll(chunk);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return ackEachAsync(chunk, 0, acked);
        }).thenCompose(v -> ackChunksAsync(claims, from + MAX_PER_TXN, acked));
    }

    private CompletableFuture<Void> ackEachAsync(List<Claim> chunk, int i, List<Claim> acked) {
        if (i >= chunk.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return ackAsync(chunk.get(i)).thenCompose(done -> {
            if (done) {
                acked.add(chunk.get(i));
            }
            return ackEachAsync(chunk, i + 1, acked);
        });
    }

    /** The ack of every claim of {@code chunk}, only while all of them hold. */
    private Transaction ackingAll(List<Claim> chunk) {
        List<Compare> compares = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (Claim claim : chunk) {
            compares.add(Compare.createRevision(layout.claim(claim.id())).equalTo(claim.token()));
            ops.addAll(queue.releaseDedup(claim.record()));
            ops.add(Delete.key(layout.item(claim.id())));
            ops.add(Delete.key(layout.claim(claim.id())));
        }
        return Transaction.when(compares).then(ops);
    }

    private boolean settle(Claim claim, List<Op> ops, String what) {
        return commitFenced(settling(claim, ops), what + " of " + claim);
    }

    /** {@code ops} and the claim's release, only while the claim holds. */
    private Transaction settling(Claim claim, List<Op> ops) {
        List<Op> all = new ArrayList<>(ops);
        all.add(Delete.key(layout.claim(claim.id())));
        return Transaction.when(Compare.createRevision(layout.claim(claim.id())).equalTo(claim.token())).then(all);
    }

    /** {@link #commitFenced}, the attempts chained; no thread waits. */
    private CompletableFuture<Boolean> commitFencedAsync(Transaction txn, String what, int attempt,
            OutcomeUnknownException lost) {
        return queue.client().kv().commitAsync(txn).handle((r, error) -> {
            if (error == null) {
                if (r.succeeded()) {
                    return CompletableFuture.completedFuture(true);
                }
                return lost == null ? CompletableFuture.completedFuture(false) : leaseAliveAsync();
            }
            Throwable cause = WorkQueue.unwrap(error);
            if (!(cause instanceof OutcomeUnknownException now)) {
                return CompletableFuture.<Boolean>failedFuture(cause);
            }
            if (attempt + 1 >= WorkQueue.ATTEMPTS) {
                return CompletableFuture.<Boolean>failedFuture(undecided(what, now));
            }
            return WorkQueue.later(attempt, () -> commitFencedAsync(txn, what, attempt + 1, now));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Boolean> leaseAliveAsync() {
        return queue.client().leases().timeToLiveAsync(session.leaseId()).handle((info, error) -> {
            if (error == null) {
                return true;
            }
            Throwable cause = WorkQueue.unwrap(error);
            throw cause instanceof LeaseNotFoundException gone ? leaseGone(gone)
                    : new java.util.concurrent.CompletionException(cause);
        });
    }

    private OutcomeUnknownException undecided(String what, OutcomeUnknownException last) {
        return new OutcomeUnknownException(what + " in work queue " + layout.name()
                + ": the cluster did not answer; it may or may not have applied", last);
    }

    private OutcomeUnknownException leaseGone(LeaseNotFoundException e) {
        return new OutcomeUnknownException("the claim's lease " + Long.toHexString(session.leaseId())
                + " is gone and an acknowledgement's answer was lost: whether it applied cannot be decided", e);
    }

    /** Commits a transaction fenced by claim keys; after a lost answer, decides by whether the lease lives. */
    private boolean commitFenced(Transaction txn, String what) {
        boolean unknown = false;
        OutcomeUnknownException last = null;
        for (int i = 0; i < WorkQueue.ATTEMPTS; i++) {
            try {
                if (queue.client().kv().commit(txn).succeeded()) {
                    return true;
                }
                if (!unknown) {
                    return false;
                }
                // An earlier attempt's answer was lost. While the lease lives, only this claim's holder deletes
                // the claim key, so the claim being gone means that attempt applied.
                return leaseAlive();
            } catch (OutcomeUnknownException e) {
                unknown = true;
                last = e;
                WorkQueue.pauseBeforeRetry(i);
            }
        }
        throw undecided(what, last);
    }

    private boolean leaseAlive() {
        try {
            queue.client().leases().timeToLive(session.leaseId());
            return true;
        } catch (LeaseNotFoundException e) {
            throw leaseGone(e);
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this work consumer is closed; open another with WorkQueue.consumer");
        }
    }

    /** Stops claiming through this consumer. Claims it holds stay until acked, returned or the session ends. */
    @Override
    public void close() {
        closed = true;
    }
}
