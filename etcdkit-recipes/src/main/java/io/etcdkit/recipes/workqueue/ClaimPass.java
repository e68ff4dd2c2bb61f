package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One look at the head of a {@link WorkQueue} by one {@link WorkConsumer}: read the oldest queued items, claim up
 * to {@code max} of the visible ones, in a blocking form ({@link #run}) and an async one ({@link #runAsync}) that
 * send the same reads and transactions. A claim removes the item's pending key and writes its claim key under the
 * session's lease in one transaction that compares the pending key's mod revision as read; a batch of items is
 * claimed all or none, and a batch that lost some items to another consumer is retried with the ones still queued.
 * A lost answer is retried; each transaction carries a random nonce in the claim key, so a retry that finds the
 * item claimed can tell whether the lost attempt was its own.
 */
final class ClaimPass {
    /**
     * How many of the oldest queued items a claim reads beyond the ones it wants and the ones other consumers of
     * this instance are claiming at the moment (capped at {@link #MAX_SCAN}).
     */
    private static final int SCAN = 32;
    private static final int MAX_SCAN = 512;
    /** Consumers choose at random among this many of the oldest visible items, so they seldom collide. */
    private static final int SPREAD = 16;
    /** Items per batch transaction: three operations each, within etcd's default limit of 128. */
    static final int MAX_PER_TXN = 32;
    /** Rounds of a batch claim that lost items to other consumers before it settles for fewer. */
    private static final int BATCH_ROUNDS = 3;

    /** What a pass found: its claims, and when the next delayed item becomes visible (0: none seen). */
    record Attempt(List<Claim> claims, long nextVisibleAtMillis) {
    }

    private final WorkQueue queue;
    private final QueueLayout layout;
    private final Session session;
    private final ClaimWatcher watcher;
    private final ClaimReservations reservations;

    ClaimPass(WorkQueue queue, Session session, ClaimWatcher watcher) {
        this.queue = queue;
        this.layout = queue.layout();
        this.session = session;
        this.watcher = watcher;
        this.reservations = queue.reservations();
    }

    // ---- the pass ----

    /** The oldest queued items as read, which of them are visible now, and where this consumer starts. */
    private static final class Scan {
        final long revision;
        final List<KeyValue> visible = new ArrayList<>();
        long nextVisible;
        final int start;
        int next;

        Scan(RangeResult read) {
            revision = read.revision();
            long now = System.currentTimeMillis();
            for (KeyValue kv : read.kvs()) {
                long at = WorkQueue.visibleAt(kv.value());
                if (at <= now) {
                    visible.add(kv);
                } else if (nextVisible == 0 || at < nextVisible) {
                    nextVisible = at;
                }
            }
            start = visible.isEmpty() ? 0 : ThreadLocalRandom.current().nextInt(Math.min(SPREAD, visible.size()));
        }
    }

    private Range head(int max) {
        return Range.prefix(layout.pending()).limit(Math.min(MAX_SCAN, SCAN + max + reservations.inFlight()));
    }

    /**
     * The next up to {@code want} (at most {@link #MAX_PER_TXN}) visible items that no other consumer of this
     * instance is claiming, reserved for this one; empty when the scan has none left.
     */
    private List<KeyValue> nextWindow(Scan scan, int want) {
        List<KeyValue> window = new ArrayList<>();
        while (window.size() < Math.min(want, MAX_PER_TXN) && scan.next < scan.visible.size()) {
            KeyValue kv = scan.visible.get((scan.start + scan.next++) % scan.visible.size());
            if (reservations.reserve(kv.key(), scan.revision)) { // no other consumer here claims it
                window.add(kv);
            }
        }
        return window;
    }

    /** Ends a window's reservations; when its claim failed, another consumer here may have skipped its items. */
    private void release(List<KeyValue> window, List<Claim> got, boolean settled) {
        Map<String, Long> claimedAt = new HashMap<>();
        got.forEach(c -> claimedAt.put(c.id(), c.token()));
        window.forEach(kv -> reservations.release(kv.key(), claimedAt.getOrDefault(id(kv), 0L)));
        if (!settled) {
            watcher.wakeLocal(); // let a waiting consumer of this instance look again
        }
    }

    /** One pass, blocking. */
    Attempt run(int max) throws InterruptedException {
        session.ensureAlive("claiming from work queue " + layout.name());
        RangeResult read = Interrupts.call(() -> queue.client().kv().range(head(max))); // key order: etcd stops there
        Scan scan = new Scan(read);
        List<Claim> claims = new ArrayList<>();
        while (claims.size() < max) {
            List<KeyValue> window = nextWindow(scan, max - claims.size());
            if (window.isEmpty()) {
                break;
            }
            List<Claim> got = List.of();
            boolean settled = false;
            try {
                got = window.size() == 1 ? claimOne(window.get(0)).map(List::of).orElse(List.of())
                        : claimMany(window);
                claims.addAll(got);
                settled = true;
            } catch (RuntimeException e) {
                if (claims.isEmpty()) {
                    throw e;
                }
                break; // what was claimed before holds: hand it over rather than leave it claimed by nobody
            } finally {
                release(window, got, settled);
            }
        }
        return new Attempt(claims, scan.nextVisible);
    }

    /** One pass, the reads and transactions chained from callbacks; no thread waits. */
    CompletableFuture<Attempt> runAsync(int max) {
        try {
            session.ensureAlive("claiming from work queue " + layout.name());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return queue.client().kv().rangeAsync(head(max)).thenCompose(read -> {
            Scan scan = new Scan(read);
            List<Claim> claims = new ArrayList<>();
            return windowsAsync(scan, max, claims).thenApply(v -> new Attempt(claims, scan.nextVisible));
        });
    }

    private CompletableFuture<Void> windowsAsync(Scan scan, int max, List<Claim> claims) {
        if (claims.size() >= max) {
            return CompletableFuture.completedFuture(null);
        }
        List<KeyValue> window = nextWindow(scan, max - claims.size());
        if (window.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<List<Claim>> got;
        try {
            got = window.size() == 1 ? claimOneAsync(window.get(0), 0, null, null).thenApply(
                    c -> c.map(List::of).orElse(List.<Claim>of())) : claimManyAsync(window, 0);
        } catch (RuntimeException e) {
            got = CompletableFuture.failedFuture(e);
        }
        return got.handle((list, error) -> {
            release(window, list == null ? List.of() : list, error == null);
            if (error != null) {
                // what was claimed before holds: hand it over rather than leave it claimed by nobody
                return claims.isEmpty() ? CompletableFuture.<Void>failedFuture(WorkQueue.unwrap(error))
                        : CompletableFuture.<Void>completedFuture(null);
            }
            claims.addAll(list);
            return windowsAsync(scan, max, claims);
        }).thenCompose(f -> f);
    }

    // ---- one item ----

    /**
     * Claims one item in one transaction: only if its pending key is unchanged since it was read (so it is still
     * queued and visible as read), removes it from the queue and writes the claim key under the session's lease.
     */
    private Optional<Claim> claimOne(KeyValue pending) {
        String id = id(pending);
        Bytes nonce = nonce();
        Transaction txn = claimOneTxn(id, pending.modRevision(), nonce);
        OutcomeUnknownException last = null;
        for (int i = 0; i < WorkQueue.ATTEMPTS; i++) {
            TxnResult r;
            try {
                r = queue.client().kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                last = e;
                WorkQueue.pauseBeforeRetry(i);
                continue;
            }
            if (r.succeeded()) {
                return Optional.of(claimedOne(id, r));
            }
            if (last != null && ours(r.rangeResult(0).first(), nonce)) {
                // An earlier attempt whose answer was lost did claim it.
                KeyValue claim = r.rangeResult(0).first().orElseThrow();
                KeyValue item = queue.client().kv().get(layout.item(id)).orElseThrow();
                return Optional.of(new Claim(id, claim.createRevision(), decode(item)));
            }
            return Optional.empty();
        }
        throw last;
    }

    /** {@link #claimOne}, the attempts chained (a lost answer retried after a pause on a delayed executor). */
    private CompletableFuture<Optional<Claim>> claimOneAsync(KeyValue pending, int attempt, Bytes nonceOrNull,
            OutcomeUnknownException lost) {
        String id = id(pending);
        Bytes nonce = nonceOrNull != null ? nonceOrNull : nonce();
        return queue.client().kv().commitAsync(claimOneTxn(id, pending.modRevision(), nonce)).handle((r, error) -> {
            if (error != null) {
                Throwable cause = WorkQueue.unwrap(error);
                if (!(cause instanceof OutcomeUnknownException now)) {
                    return CompletableFuture.<Optional<Claim>>failedFuture(cause);
                }
                if (attempt + 1 >= WorkQueue.ATTEMPTS) {
                    return CompletableFuture.<Optional<Claim>>failedFuture(now);
                }
                return WorkQueue.later(attempt, () -> claimOneAsync(pending, attempt + 1, nonce, now));
            }
            if (r.succeeded()) {
                return CompletableFuture.completedFuture(Optional.of(claimedOne(id, r)));
            }
            if (lost != null && ours(r.rangeResult(0).first(), nonce)) {
                KeyValue claim = r.rangeResult(0).first().orElseThrow();
                return queue.client().kv().getAsync(layout.item(id)).thenApply(item -> Optional.of(
                        new Claim(id, claim.createRevision(), decode(item.orElseThrow()))));
            }
            return CompletableFuture.completedFuture(Optional.<Claim>empty());
        }).thenCompose(f -> f);
    }

    private Transaction claimOneTxn(String id, long pendingModRevision, Bytes nonce) {
        return Transaction.when(Compare.modRevision(layout.pending(id)).equalTo(pendingModRevision))
                .then(Delete.key(layout.pending(id)), Put.of(layout.claim(id), nonce).lease(session.leaseId()),
                        Range.key(layout.item(id)))
                .otherwise(Range.key(layout.claim(id)));
    }

    private Claim claimedOne(String id, TxnResult r) {
        KeyValue item = r.rangeResult(2).first().orElseThrow(() -> new IllegalStateException(
                "work queue " + layout.name() + ": item " + id + " was queued but has no record"));
        return new Claim(id, r.revision(), decode(item));
    }

    // ---- several items ----

    /**
     * Claims several items in one transaction (all or none). When another consumer took one of them first, the
     * transaction fails and its read of the pending keys says which are still queued: the next round claims those.
     */
    private List<Claim> claimMany(List<KeyValue> candidates) {
        List<KeyValue> round = candidates;
        for (int r = 0; r < BATCH_ROUNDS && round.size() > 1; r++) {
            Bytes nonce = nonce();
            TxnResult result = commitClaim(claimManyTxn(round, nonce));
            if (result == null) {
                return claimedEarlier(round, nonce);
            }
            if (result.succeeded()) {
                return claimedMany(round, result);
            }
            round = stillQueued(round, result);
        }
        return round.size() == 1 ? claimOne(round.get(0)).map(List::of).orElse(List.of()) : List.of();
    }

    /** {@link #claimMany}, the rounds chained. */
    private CompletableFuture<List<Claim>> claimManyAsync(List<KeyValue> round, int r) {
        if (r >= BATCH_ROUNDS || round.size() <= 1) {
            return round.size() == 1
                    ? claimOneAsync(round.get(0), 0, null, null).thenApply(c -> c.map(List::of).orElse(List.of()))
                    : CompletableFuture.completedFuture(List.of());
        }
        Bytes nonce = nonce();
        return commitClaimAsync(claimManyTxn(round, nonce), 0, false).thenCompose(result -> {
            if (result == null) {
                return claimedEarlierAsync(round, nonce, 0, new ArrayList<>());
            }
            if (result.succeeded()) {
                return CompletableFuture.completedFuture(claimedMany(round, result));
            }
            return claimManyAsync(stillQueued(round, result), r + 1);
        });
    }

    private Transaction claimManyTxn(List<KeyValue> round, Bytes nonce) {
        List<Compare> compares = new ArrayList<>();
        List<Op> writes = new ArrayList<>();
        List<Op> reads = new ArrayList<>();
        for (KeyValue kv : round) {
            String id = id(kv);
            compares.add(Compare.modRevision(kv.key()).equalTo(kv.modRevision()));
            writes.add(Delete.key(kv.key()));
            writes.add(Put.of(layout.claim(id), nonce).lease(session.leaseId()));
            writes.add(Range.key(layout.item(id)));
            reads.add(Range.key(kv.key()).keysOnly());
        }
        return Transaction.when(compares).then(writes).otherwise(reads);
    }

    private List<Claim> claimedMany(List<KeyValue> round, TxnResult result) {
        List<Claim> claims = new ArrayList<>(round.size());
        for (int i = 0; i < round.size(); i++) {
            claims.add(new Claim(id(round.get(i)), result.revision(),
                    decode(result.rangeResult(3 * i + 2).first().orElseThrow())));
        }
        return claims;
    }

    /** The items of a failed batch claim that are still queued, as its otherwise-reads found them. */
    private static List<KeyValue> stillQueued(List<KeyValue> round, TxnResult result) {
        List<KeyValue> still = new ArrayList<>();
        for (int i = 0; i < round.size(); i++) {
            result.rangeResult(i).first().ifPresent(still::add);
        }
        return still;
    }

    /** Commits a batch claim; null when its answer was lost every time (then {@link #claimedEarlier} decides). */
    private TxnResult commitClaim(Transaction txn) {
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

    /** {@link #commitClaim}, the attempts chained. */
    private CompletableFuture<TxnResult> commitClaimAsync(Transaction txn, int attempt, boolean lostBefore) {
        return queue.client().kv().commitAsync(txn).handle((r, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(!lostBefore || r.succeeded() ? r : null);
            }
            Throwable cause = WorkQueue.unwrap(error);
            if (!(cause instanceof OutcomeUnknownException)) {
                return CompletableFuture.<TxnResult>failedFuture(cause);
            }
            return attempt + 1 >= WorkQueue.ATTEMPTS ? CompletableFuture.<TxnResult>completedFuture(null)
                    : WorkQueue.later(attempt, () -> commitClaimAsync(txn, attempt + 1, true));
        }).thenCompose(f -> f);
    }

    /** The claims of {@code round} that carry this attempt's nonce under this session's lease. */
    private List<Claim> claimedEarlier(List<KeyValue> round, Bytes nonce) {
        List<Claim> claims = new ArrayList<>();
        for (KeyValue kv : round) {
            earlierClaim(id(kv), queue.client().kv().commit(claimCheck(id(kv))), nonce).ifPresent(claims::add);
        }
        return claims;
    }

    /** {@link #claimedEarlier}, one check after the other. */
    private CompletableFuture<List<Claim>> claimedEarlierAsync(List<KeyValue> round, Bytes nonce, int i,
            List<Claim> claims) {
        if (i >= round.size()) {
            return CompletableFuture.completedFuture(claims);
        }
        String id = id(round.get(i));
        return queue.client().kv().commitAsync(claimCheck(id)).thenCompose(r -> {
            earlierClaim(id, r, nonce).ifPresent(claims::add);
            return claimedEarlierAsync(round, nonce, i + 1, claims);
        });
    }

    private Transaction claimCheck(String id) {
        return Transaction.always(Range.key(layout.claim(id)), Range.key(layout.item(id)));
    }

    private Optional<Claim> earlierClaim(String id, TxnResult check, Bytes nonce) {
        Optional<KeyValue> claim = check.rangeResult(0).first();
        Optional<KeyValue> item = check.rangeResult(1).first();
        if (item.isPresent() && ours(claim, nonce)) {
            return Optional.of(new Claim(id, claim.get().createRevision(), decode(item.get())));
        }
        return Optional.empty();
    }

    // ---- giving back ----

    /**
     * Returns a claim's item to the queue as it was (no attempt counted, visible at once), only while the claim
     * holds: for claims made for an async claim that was cancelled before they arrived.
     */
    CompletableFuture<Boolean> giveBackAsync(Claim claim) {
        Transaction txn = Transaction.when(Compare.createRevision(layout.claim(claim.id())).equalTo(claim.token()),
                Compare.exists(layout.item(claim.id())))
                .then(Delete.key(layout.claim(claim.id())),
                        Put.of(layout.pending(claim.id()), WorkQueue.visibleValue(0)));
        return queue.commitRetryingAsync(txn, 0).thenApply(TxnResult::succeeded);
    }

    // ---- small pieces ----

    private String id(KeyValue pending) {
        return layout.idOf(pending.key(), layout.pending());
    }

    private boolean ours(Optional<KeyValue> claim, Bytes nonce) {
        return claim.isPresent() && claim.get().value().equals(nonce) && claim.get().lease() == session.leaseId();
    }

    private static ItemRecord decode(KeyValue item) {
        return ItemRecord.decode(item.value(), item.key());
    }

    private static Bytes nonce() {
        return Bytes.of(Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }
}
