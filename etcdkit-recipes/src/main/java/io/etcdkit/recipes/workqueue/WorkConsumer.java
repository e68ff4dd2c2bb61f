package io.etcdkit.recipes.workqueue;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.Bytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Claims items of a {@link WorkQueue} under one session's lease, and acknowledges or returns them. Thread-safe:
 * several threads may claim through one consumer (their claims share the session's lease). Closing a consumer
 * does not end its session; items it still holds stay claimed until acknowledged, returned or the session ends.
 */
public final class WorkConsumer implements AutoCloseable {
    /**
     * How many of the oldest queued items a claim reads beyond the ones it wants and the ones other consumers of
     * this instance are claiming at the moment (capped at {@link #MAX_SCAN}).
     */
    private static final int SCAN = 32;
    private static final int MAX_SCAN = 512;
    /** Consumers choose at random among this many of the oldest visible items, so they seldom collide. */
    private static final int SPREAD = 16;
    /** Items per batch transaction: three operations each, within etcd's default limit of 128. */
    private static final int MAX_PER_TXN = 32;

    private final WorkQueue queue;
    private final QueueLayout layout;
    private final Session session;
    private final ClaimWatcher watcher;
    private final ClaimReservations reservations;
    private volatile boolean closed;

    WorkConsumer(WorkQueue queue, Session session, ClaimWatcher watcher) {
        this.queue = queue;
        this.layout = queue.layout();
        this.session = session;
        this.watcher = watcher;
        this.reservations = queue.reservations();
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
        if (max < 1) {
            throw new InvalidArgumentException("a batch claim takes at least 1 item, got " + max);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidArgumentException("the claim timeout must be zero or positive, got " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ensureOpen();
            Attempt attempt = tryClaim(max);
            if (!attempt.claims.isEmpty() || waitNanos(deadline, attempt) <= 0) {
                return attempt.claims;
            }
            // Nothing to take: stand in the queue's line (a key under waiters/, seen by every process's watch), so
            // that each item queued from now on wakes the oldest waiter of all processes, and only that one.
            ClaimWatcher.Waiter waiter = watcher.register(session);
            try {
                attempt = tryClaim(max); // what was queued before the waiter's key existed
                long wait = waitNanos(deadline, attempt);
                if (!attempt.claims.isEmpty() || wait <= 0) {
                    return attempt.claims;
                }
                CompletableFuture.anyOf(waiter.woken(), session.ended()).get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // the loop claims once more: what became visible meanwhile, or nothing at the deadline
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for work failed", e.getCause());
            } finally {
                watcher.unregister(waiter);
            }
        }
    }

    /** How long to wait for a wake-up: until the deadline, or until the next delayed item becomes visible. */
    private static long waitNanos(long deadline, Attempt attempt) {
        long wait = deadline - System.nanoTime();
        if (attempt.nextVisibleAtMillis > 0) {
            wait = Math.min(wait, TimeUnit.MILLISECONDS.toNanos(
                    Math.max(1, attempt.nextVisibleAtMillis - System.currentTimeMillis())));
        }
        return wait;
    }

    private record Attempt(List<Claim> claims, long nextVisibleAtMillis) {
    }

    /** One pass: read the oldest queued items, claim up to {@code max} visible ones. */
    private Attempt tryClaim(int max) throws InterruptedException {
        session.ensureAlive("claiming from work queue " + layout.name());
        RangeResult read = Interrupts.call(() -> queue.client().kv().range(Range.prefix(layout.pending())
                .limit(Math.min(MAX_SCAN, SCAN + max + reservations.inFlight())))); // key order: etcd stops there
        List<KeyValue> queued = read.kvs();
        long now = System.currentTimeMillis();
        long nextVisible = 0;
        List<KeyValue> visible = new ArrayList<>();
        for (KeyValue kv : queued) {
            long at = WorkQueue.visibleAt(kv.value());
            if (at <= now) {
                visible.add(kv);
            } else if (nextVisible == 0 || at < nextVisible) {
                nextVisible = at;
            }
        }
        List<Claim> claims = new ArrayList<>();
        int start = visible.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(Math.min(SPREAD, visible.size()));
        int next = 0;
        while (claims.size() < max && next < visible.size()) {
            List<KeyValue> window = new ArrayList<>();
            while (window.size() < Math.min(max - claims.size(), MAX_PER_TXN) && next < visible.size()) {
                KeyValue kv = visible.get((start + next++) % visible.size());
                if (reservations.reserve(kv.key(), read.revision())) { // no other consumer here claims it
                    window.add(kv);
                }
            }
            if (window.isEmpty()) {
                break;
            }
            List<Claim> got = List.of();
            boolean settled = false;
            try {
                got = window.size() == 1
                        ? claimOne(layout.idOf(window.get(0).key(), layout.pending()), window.get(0).modRevision())
                                .map(List::of).orElse(List.of())
                        : claimMany(window);
                claims.addAll(got);
                settled = true;
            } finally {
                Map<String, Long> claimedAt = new HashMap<>();
                got.forEach(c -> claimedAt.put(c.id(), c.token()));
                window.forEach(kv -> reservations.release(kv.key(),
                        claimedAt.getOrDefault(layout.idOf(kv.key(), layout.pending()), 0L)));
                if (!settled) {
                    watcher.wakeLocal(); // a consumer of this instance may have skipped these items: let it look again
                }
            }
        }
        return new Attempt(claims, nextVisible);
    }

    /**
     * Claims several items in one transaction (all or none). When another consumer took one of them first, the
     * transaction fails and its read of the pending keys says which are still queued: the next round claims those.
     */
    private List<Claim> claimMany(List<KeyValue> candidates) {
        List<KeyValue> round = candidates;
        for (int r = 0; r < 3 && round.size() > 1; r++) {
            Bytes nonce = Bytes.of(Long.toHexString(ThreadLocalRandom.current().nextLong()));
            List<Compare> compares = new ArrayList<>();
            List<Op> writes = new ArrayList<>();
            List<Op> reads = new ArrayList<>();
            for (KeyValue kv : round) {
                String id = layout.idOf(kv.key(), layout.pending());
                compares.add(Compare.modRevision(kv.key()).equalTo(kv.modRevision()));
                writes.add(Delete.key(kv.key()));
                writes.add(Put.of(layout.claim(id), nonce).lease(session.leaseId()));
                writes.add(Range.key(layout.item(id)));
                reads.add(Range.key(kv.key()).keysOnly());
            }
            TxnResult result = commitClaim(Transaction.when(compares).then(writes).otherwise(reads), round, nonce);
            if (result == null) {
                return claimedEarlier(round, nonce);
            }
            if (result.succeeded()) {
                List<Claim> claims = new ArrayList<>(round.size());
                for (int i = 0; i < round.size(); i++) {
                    KeyValue item = result.rangeResult(3 * i + 2).first().orElseThrow();
                    claims.add(new Claim(layout.idOf(round.get(i).key(), layout.pending()), result.revision(),
                            ItemRecord.decode(item.value(), item.key())));
                }
                return claims;
            }
            List<KeyValue> still = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                result.rangeResult(i).first().ifPresent(still::add);
            }
            round = still;
        }
        return round.size() == 1
                ? claimOne(layout.idOf(round.get(0).key(), layout.pending()), round.get(0).modRevision())
                        .map(List::of).orElse(List.of())
                : List.of();
    }

    /** Commits a batch claim; null when its answer was lost every time (then {@link #claimedEarlier} decides). */
    private TxnResult commitClaim(Transaction txn, List<KeyValue> round, Bytes nonce) {
        for (int i = 0; i < WorkQueue.ATTEMPTS; i++) {
            try {
                TxnResult r = queue.client().kv().commit(txn);
                return i == 0 || r.succeeded() ? r : null; // failed after a lost answer: maybe it was ours
            } catch (OutcomeUnknownException e) {
                WorkQueue.pauseBeforeRetry(i);
            }
        }
        return null;
    }

    /** The claims of {@code round} that carry this attempt's nonce under this session's lease. */
    private List<Claim> claimedEarlier(List<KeyValue> round, Bytes nonce) {
        List<Claim> claims = new ArrayList<>();
        for (KeyValue kv : round) {
            String id = layout.idOf(kv.key(), layout.pending());
            TxnResult r = queue.client().kv().commit(Transaction.always(Range.key(layout.claim(id)),
                    Range.key(layout.item(id))));
            Optional<KeyValue> claim = r.rangeResult(0).first();
            Optional<KeyValue> item = r.rangeResult(1).first();
            if (claim.isPresent() && item.isPresent() && claim.get().value().equals(nonce)
                    && claim.get().lease() == session.leaseId()) {
                claims.add(new Claim(id, claim.get().createRevision(),
                        ItemRecord.decode(item.get().value(), item.get().key())));
            }
        }
        return claims;
    }

    /**
     * Claims one item in one transaction: only if its pending key is unchanged since it was read (so it is still
     * queued and visible as read), removes it from the queue and writes the claim key under the session's lease.
     */
    private Optional<Claim> claimOne(String id, long pendingModRevision) {
        Bytes nonce = Bytes.of(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Transaction txn = Transaction.when(Compare.modRevision(layout.pending(id)).equalTo(pendingModRevision))
                .then(Delete.key(layout.pending(id)), Put.of(layout.claim(id), nonce).lease(session.leaseId()),
                        Range.key(layout.item(id)))
                .otherwise(Range.key(layout.claim(id)));
        OutcomeUnknownException last = null;
        boolean unknown = false;
        for (int i = 0; i < WorkQueue.ATTEMPTS; i++) {
            TxnResult r;
            try {
                r = queue.client().kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                last = e;
                unknown = true;
                WorkQueue.pauseBeforeRetry(i);
                continue;
            }
            if (r.succeeded()) {
                KeyValue item = r.rangeResult(2).first().orElseThrow(() -> new IllegalStateException(
                        "work queue " + layout.name() + ": item " + id + " was queued but has no record"));
                return Optional.of(new Claim(id, r.revision(), ItemRecord.decode(item.value(), item.key())));
            }
            Optional<KeyValue> claim = r.rangeResult(0).first();
            if (unknown && claim.isPresent() && claim.get().value().equals(nonce)
                    && claim.get().lease() == session.leaseId()) {
                // An earlier attempt whose answer was lost did claim it.
                KeyValue item = queue.client().kv().get(layout.item(id)).orElseThrow();
                return Optional.of(new Claim(id, claim.get().createRevision(),
                        ItemRecord.decode(item.value(), item.key())));
            }
            return Optional.empty();
        }
        throw last;
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

    private void ensureOpen() {
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
