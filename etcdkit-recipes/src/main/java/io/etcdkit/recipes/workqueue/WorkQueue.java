package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An at-least-once work queue in etcd with leased claims, fenced acknowledgements and dead letters; no broker.
 *
 * <pre>{@code
 * WorkQueue queue = WorkQueue.of(client, "emails").maxAttempts(5);
 * queue.add(NewItem.of("{\"to\":\"a@example.com\"}"));
 *
 * try (Session session = Session.open(client, Duration.ofSeconds(10));
 *      WorkConsumer consumer = queue.openConsumer(session)) {
 *     Optional<Claim> claim = consumer.claim(Duration.ofSeconds(30));
 *     ... process claim.get().payload() ...
 *     consumer.ack(claim.get());            // or consumer.nack(claim.get(), "smtp refused")
 * }
 * }</pre>
 *
 * <p><b>Delivery guarantee.</b> Every item added is delivered until one delivery is acknowledged or the item has
 * failed {@link #maxAttempts(int) maxAttempts} deliveries and is moved to the dead letters: <em>at-least-once
 * processing</em> (an item whose consumer dies after doing the work but before acknowledging is delivered again)
 * and <em>at-most-once successful acknowledgement</em> (exactly-once acknowledgement: of all the deliveries of one
 * item, at most one {@link WorkConsumer#ack} returns true, and none after the item is dead). A claim is a key
 * attached to the consumer's session lease, written in the transaction that removes the item from the pending
 * prefix, so no two consumers hold an item at once while their leases live; an ack is a transaction comparing the
 * claim key's create revision (the fencing token), so a consumer whose claim expired cannot acknowledge or return
 * the item after it was handed to someone else. A failed delivery — {@link WorkConsumer#nack} or the end of the
 * consumer's session — returns the item to the back of the queue with its attempt count incremented.
 *
 * <p><b>Order.</b> Item ids begin with the add time; consumers take from the oldest visible items, choosing among
 * the first few at random so that they seldom collide on the head: roughly FIFO, not strictly. An item returned
 * after a failed delivery keeps its place (it is retried before younger items).
 *
 * <p><b>Layout.</b> All keys live under {@code etcdkit/workqueue/<name>/} (see the docs). Instances are immutable
 * configuration plus, once consumers exist, one watch per instance; thread-safe. {@link #close()} stops the watch.
 */
public final class WorkQueue implements AutoCloseable {
    static final int ATTEMPTS = 7;
    /** Items per {@link #addAll}: two writes each plus a dedup key, within etcd's default 128 operations. */
    public static final int MAX_ADD_BATCH = 32;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final EtcdClient client;
    private final QueueLayout layout;
    private final int maxAttempts;
    private final Object watcherLock = new Object();
    private final ClaimReservations reservations = new ClaimReservations();
    private ClaimWatcher watcher;
    private static final java.time.Duration MARKER_TTL = java.time.Duration.ofSeconds(60);
    private static final java.time.Duration MARKER_RENEW = java.time.Duration.ofSeconds(20);
    private long markerLeaseId;
    private long markerLeaseAt;

    private WorkQueue(EtcdClient client, QueueLayout layout, int maxAttempts) {
        this.client = client;
        this.layout = layout;
        this.maxAttempts = maxAttempts;
    }

    /**
     * The work queue {@code name}, with at most 5 attempts per item.
     *
     * @param client the client
     * @param name non-empty, without {@code /}
     * @return the queue (nothing is written until items are added)
     * @throws InvalidArgumentException if the name is empty or contains {@code /}
     */
    public static WorkQueue of(EtcdClient client, String name) {
        Objects.requireNonNull(client, "client");
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new InvalidArgumentException("a work queue name must be non-empty text without '/', got " + name);
        }
        return new WorkQueue(client, QueueLayout.of(name), 5);
    }

    /**
     * The same queue with another limit: an item whose {@code attempts}-th delivery fails is moved to the dead
     * letters. Every producer and consumer of one queue should use the same limit (the consumer that sees the
     * failure applies it).
     *
     * @param attempts 1 or more
     * @return a new instance (with its own watch once it has consumers)
     * @throws InvalidArgumentException if {@code attempts < 1}
     */
    public WorkQueue maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new InvalidArgumentException("maxAttempts must be at least 1, got " + attempts);
        }
        return new WorkQueue(client, layout, attempts);
    }

    /** {@return the queue's name} */
    public String name() {
        return layout.name();
    }

    /** {@return the number of failed deliveries after which an item is dead-lettered} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the client} */
    EtcdClient client() {
        return client;
    }

    QueueLayout layout() {
        return layout;
    }

    /**
     * Adds an item.
     *
     * @param payload the payload
     * @return the new item's id
     */
    public Added add(Bytes payload) {
        return add(NewItem.of(payload));
    }

    /**
     * Adds an item: one transaction that writes the item and queues it, unless its dedup key is already in use.
     * Safe to retry: an add whose outcome was unknown is retried and recognised by its marker.
     *
     * @param item what to add
     * @return the item's id, and whether it was a duplicate (nothing added)
     * @throws OutcomeUnknownException if the cluster could not tell whether the add happened after retries
     */
    public Added add(NewItem item) {
        Objects.requireNonNull(item, "item");
        return addAll(List.of(item)).get(0);
    }

    /**
     * Adds up to {@value #MAX_ADD_BATCH} items in one transaction: all of them or none (apart from the items whose
     * dedup key is already in use, which are reported as duplicates and not added). A batch costs etcd about as
     * much as a single add, so producers with many items should add them in batches. Safe to retry like
     * {@link #add(NewItem)}: the batch's one marker makes a repeat after a lost answer a no-op.
     *
     * @param items what to add, in order; {@value #MAX_ADD_BATCH} at most
     * @return one {@link Added} per item, in the same order (a second item of the batch with the same dedup key as
     *     an earlier one is a duplicate of it)
     * @throws InvalidArgumentException if {@code items} is empty or has more than {@value #MAX_ADD_BATCH}
     * @throws OutcomeUnknownException if the cluster could not tell whether the add happened after retries
     */
    public List<Added> addAll(List<NewItem> items) {
        AddBatch batch = new AddBatch(items);
        for (int attempt = 0; ; attempt++) {
            if (batch.decided()) {
                return batch.result(); // every item was a duplicate
            }
            Round round = batch.round(markerLease());
            TxnResult r;
            try {
                r = commitRetrying(round.txn());
            } catch (io.etcdkit.LeaseNotFoundException e) {
                if (attempt > 0) {
                    throw e;
                }
                forgetMarkerLease(); // the marker lease expired: take a new one
                continue;
            }
            if (batch.settle(round, r)) {
                return batch.result();
            }
        }
    }

    /**
     * Async form of {@link #add(NewItem)}.
     *
     * @param item what to add
     * @return a future of the item's id, and whether it was a duplicate; it fails as {@link #addAllAsync(List)}
     */
    public CompletableFuture<Added> addAsync(NewItem item) {
        Objects.requireNonNull(item, "item");
        return addAllAsync(List.of(item)).thenApply(added -> added.get(0));
    }

    /**
     * Async form of {@link #addAll(List)}: the same transactions (the marker lease granted asynchronously when it
     * is due, a lost answer retried after a pause on a delayed executor), no thread waits.
     *
     * @param items what to add, in order; {@value #MAX_ADD_BATCH} at most
     * @return a future of one {@link Added} per item, in the same order; it fails with
     *     {@link InvalidArgumentException} if {@code items} is empty or too many, {@link OutcomeUnknownException}
     *     if the cluster could not tell whether the add happened after retries
     */
    public CompletableFuture<List<Added>> addAllAsync(List<NewItem> items) {
        AddBatch batch;
        try {
            batch = new AddBatch(items);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return addRoundsAsync(batch, 0);
    }

    private CompletableFuture<List<Added>> addRoundsAsync(AddBatch batch, int attempt) {
        if (batch.decided()) {
            return CompletableFuture.completedFuture(batch.result());
        }
        return markerLeaseAsync().thenCompose(lease -> {
            Round round = batch.round(lease);
            return commitRetryingAsync(round.txn(), 0).handle((r, error) -> {
                if (error != null) {
                    Throwable cause = unwrap(error);
                    if (cause instanceof io.etcdkit.LeaseNotFoundException && attempt == 0) {
                        forgetMarkerLease(); // the marker lease expired: take a new one
                        return addRoundsAsync(batch, attempt + 1);
                    }
                    return CompletableFuture.<List<Added>>failedFuture(cause);
                }
                return batch.settle(round, r) ? CompletableFuture.completedFuture(batch.result())
                        : addRoundsAsync(batch, attempt + 1);
            }).thenCompose(f -> f);
        });
    }

    /** One transaction of an add: the items still undecided, and which item decides each dedup key. */
    private record Round(Transaction txn, Map<String, Integer> dedupFirst) {
    }

    /** The state of one {@link #addAll} call across its rounds: ids, records and the answers decided so far. */
    private final class AddBatch {
        private final List<String> ids;
        private final List<ItemRecord> records;
        private final Added[] out;
        private final Bytes marker;

        AddBatch(List<NewItem> items) {
            Objects.requireNonNull(items, "items");
            if (items.isEmpty() || items.size() > MAX_ADD_BATCH) {
                throw new InvalidArgumentException("addAll takes 1 to " + MAX_ADD_BATCH + " items (one transaction), "
                        + "got " + items.size() + "; split larger sets into batches");
            }
            long now = System.currentTimeMillis();
            ids = new ArrayList<>(items.size());
            records = new ArrayList<>(items.size());
            for (NewItem item : items) {
                Objects.requireNonNull(item, "item");
                long visibleAt = item.delay().isZero() ? 0 : now + item.delay().toMillis();
                ids.add(newId());
                records.add(new ItemRecord(item.payload(), 0, "", visibleAt, ThreadLocalRandom.current().nextLong(),
                        item.dedupKey().orElse("")));
            }
            out = new Added[items.size()];
            marker = layout.addMarker(ids.get(0)); // one marker per batch: the batch applies as a whole
        }

        /** Whether every item has its answer (the duplicates found by earlier rounds). */
        boolean decided() {
            for (Added a : out) {
                if (a == null) {
                    return false;
                }
            }
            return true;
        }

        List<Added> result() {
            return List.of(out);
        }

        /** The transaction for the items not decided yet, its marker on {@code lease}. */
        Round round(long lease) {
            Map<String, Integer> dedupFirst = new LinkedHashMap<>();
            List<Op> writes = new ArrayList<>(2 * out.length + 1);
            List<Compare> when = new ArrayList<>(List.of(Compare.absent(marker)));
            for (int i = 0; i < out.length; i++) {
                if (out[i] != null) {
                    continue; // a duplicate found by an earlier round
                }
                ItemRecord rec = records.get(i);
                if (!rec.dedupKey().isEmpty()) {
                    Integer first = dedupFirst.putIfAbsent(rec.dedupKey(), i);
                    if (first != null) {
                        continue; // the same key earlier in this batch: decided with that item
                    }
                    writes.add(Put.of(layout.dedup(rec.dedupKey()), Bytes.of(ids.get(i))));
                    when.add(Compare.absent(layout.dedup(rec.dedupKey())));
                }
                writes.add(Put.of(layout.item(ids.get(i)), rec.encode()));
                writes.add(Put.of(layout.pending(ids.get(i)), visibleValue(rec.visibleAtMillis())));
            }
            writes.add(Put.of(marker, Bytes.EMPTY).lease(lease));
            List<Op> reads = new ArrayList<>(List.of(Range.key(marker).countOnly()));
            dedupFirst.keySet().forEach(k -> reads.add(Range.key(layout.dedup(k))));
            // Conditional on the marker: repeating the add after a lost answer finds it, even when the items were
            // claimed and acknowledged in between, instead of adding them a second time.
            return new Round(Transaction.when(when).then(writes).otherwise(reads), dedupFirst);
        }

        /** Takes a round's answer; true when the batch was applied, false when another round is needed. */
        boolean settle(Round round, TxnResult r) {
            Map<String, Integer> dedupFirst = round.dedupFirst();
            boolean applied = r.succeeded() || r.rangeResult(0).count() > 0;
            int read = 1;
            Map<String, String> holders = new HashMap<>();
            for (String key : dedupFirst.keySet()) {
                int at = read++;
                if (!applied) {
                    r.rangeResult(at).first().ifPresent(kv -> holders.put(key, kv.value().toStringUtf8()));
                }
            }
            if (!applied && holders.isEmpty()) {
                return false; // a dedup key was freed between the transaction and its read: try again
            }
            for (int i = 0; i < out.length; i++) {
                if (out[i] != null) {
                    continue;
                }
                String key = records.get(i).dedupKey();
                Integer first = key.isEmpty() ? null : dedupFirst.get(key);
                if (applied) {
                    out[i] = first != null && first != i ? new Added(ids.get(first), true, r.revision())
                            : new Added(ids.get(i), false, r.revision());
                } else if (first != null && holders.containsKey(key)) {
                    out[i] = new Added(holders.get(key), true, r.revision());
                }
            }
            return applied;
        }
    }

    /** {@return the claims consumers of this instance have in flight (they keep out of each other's way)} */
    ClaimReservations reservations() {
        return reservations;
    }

    /** A lease for add markers, replaced every 20 s; each lives 60 s, far longer than an add's retries. */
    private synchronized long markerLease() {
        long now = System.nanoTime();
        if (markerLeaseId == 0 || now - markerLeaseAt > MARKER_RENEW.toNanos()) {
            markerLeaseId = client.leases().grant(MARKER_TTL).id();
            markerLeaseAt = now;
        }
        return markerLeaseId;
    }

    /** {@link #markerLease()} without a thread waiting: the current lease, or a new one granted asynchronously. */
    private CompletableFuture<Long> markerLeaseAsync() {
        synchronized (this) {
            if (markerLeaseId != 0 && System.nanoTime() - markerLeaseAt <= MARKER_RENEW.toNanos()) {
                return CompletableFuture.completedFuture(markerLeaseId);
            }
        }
        long asked = System.nanoTime();
        return client.leases().grantAsync(MARKER_TTL).thenApply(lease -> {
            synchronized (this) {
                markerLeaseId = lease.id();
                markerLeaseAt = asked;
                return lease.id();
            }
        });
    }

    private synchronized void forgetMarkerLease() {
        markerLeaseId = 0;
    }

    /**
     * Opens a consumer that claims items under {@code session}'s lease. Consumers of one queue instance share one
     * watch, which wakes one waiting consumer per queued item and returns the items of expired claims.
     *
     * @param session the session whose lease the claims are attached to
     * @return the consumer; close it when done (its session stays open)
     */
    public WorkConsumer openConsumer(Session session) {
        Objects.requireNonNull(session, "session");
        if (session.client() != client) {
            throw new InvalidArgumentException("the session belongs to another client than this work queue's");
        }
        return new WorkConsumer(this, session, watcher());
    }

    ClaimWatcher watcher() {
        synchronized (watcherLock) {
            if (watcher == null) {
                watcher = ClaimWatcher.start(this);
            }
            return watcher;
        }
    }

    /**
     * Counts the queue's items in one revision.
     *
     * @return the counts
     */
    public QueueStats stats() {
        return statsOf(client.kv().commit(statsReads()));
    }

    /**
     * Async form of {@link #stats()}: the same one read-only transaction.
     *
     * @return a future of the counts, read at one revision
     */
    public CompletableFuture<QueueStats> statsAsync() {
        return client.kv().commitAsync(statsReads()).thenApply(WorkQueue::statsOf);
    }

    private Transaction statsReads() {
        return Transaction.always(Range.prefix(layout.items()).countOnly(),
                Range.prefix(layout.pending()).countOnly(), Range.prefix(layout.claims()).countOnly(),
                Range.prefix(layout.dead()).countOnly());
    }

    private static QueueStats statsOf(TxnResult r) {
        return new QueueStats(r.rangeResult(0).count(), r.rangeResult(1).count(), r.rangeResult(2).count(),
                r.rangeResult(3).count(), r.revision());
    }

    /**
     * The dead letters, in key order.
     *
     * @param limit at most this many (0 for all)
     * @return the dead letters
     */
    public List<DeadLetter> deadLetters(int limit) {
        return deadLettersOf(client.kv().range(Range.prefix(layout.dead()).limit(Math.max(0, limit))));
    }

    /**
     * Async form of {@link #deadLetters(int)}: one read.
     *
     * @param limit at most this many (0 for all)
     * @return a future of the dead letters, in key order
     */
    public CompletableFuture<List<DeadLetter>> deadLettersAsync(int limit) {
        return client.kv().rangeAsync(Range.prefix(layout.dead()).limit(Math.max(0, limit)))
                .thenApply(this::deadLettersOf);
    }

    private List<DeadLetter> deadLettersOf(io.etcdkit.kv.RangeResult read) {
        List<DeadLetter> out = new ArrayList<>();
        for (KeyValue kv : read.kvs()) {
            ItemRecord rec = ItemRecord.decode(kv.value(), kv.key());
            out.add(new DeadLetter(layout.idOf(kv.key(), layout.dead()), rec.payload(), rec.attempts(),
                    rec.lastError()));
        }
        return out;
    }

    /**
     * The items in the queue with their state, in key order.
     *
     * @param limit at most this many (0 for all)
     * @return the items
     */
    public List<ItemView> items(int limit) {
        return itemsOf(client.kv().commit(itemReads(limit)));
    }

    /**
     * Async form of {@link #items(int)}: the same one read-only transaction.
     *
     * @param limit at most this many (0 for all)
     * @return a future of the items with their state, in key order
     */
    public CompletableFuture<List<ItemView>> itemsAsync(int limit) {
        return client.kv().commitAsync(itemReads(limit)).thenApply(this::itemsOf);
    }

    private Transaction itemReads(int limit) {
        return Transaction.always(Range.prefix(layout.items()).limit(Math.max(0, limit)),
                Range.prefix(layout.claims()).keysOnly());
    }

    private List<ItemView> itemsOf(TxnResult r) {
        Set<String> claimed = new HashSet<>();
        r.rangeResult(1).kvs().forEach(kv -> claimed.add(layout.idOf(kv.key(), layout.claims())));
        List<ItemView> out = new ArrayList<>();
        for (KeyValue kv : r.rangeResult(0).kvs()) {
            String id = layout.idOf(kv.key(), layout.items());
            ItemRecord rec = ItemRecord.decode(kv.value(), kv.key());
            out.add(new ItemView(id, rec.payload(), rec.attempts(), rec.lastError(), claimed.contains(id),
                    rec.visibleAtMillis()));
        }
        return out;
    }

    /**
     * Moves a dead letter back into the queue with its attempt count reset, in one transaction.
     *
     * @param id the dead letter's id
     * @return true if it was requeued; false if there is no such dead letter or an item with its id is in the
     *     queue again
     */
    public boolean requeue(String id) {
        Optional<KeyValue> dead = client.kv().get(layout.dead(id));
        if (dead.isEmpty()) {
            return false;
        }
        long nonce = ItemRecord.decode(dead.get().value(), dead.get().key()).nonce();
        return commitRetrying(requeueTxn(id, dead.get())).succeeded()
                || requeuedEarlier(id, nonce, client.kv().commit(requeueCheck(id)));
    }

    /**
     * Async form of {@link #requeue(String)}: the same read and transaction, each started from the previous
     * answer's callback (a lost answer retried after a pause on a delayed executor), no thread waits.
     *
     * @param id the dead letter's id
     * @return a future of true if it was requeued, false if there is no such dead letter or an item with its id is
     *     in the queue again; it fails with {@link OutcomeUnknownException} if the cluster could not tell whether
     *     the requeue happened after retries
     */
    public CompletableFuture<Boolean> requeueAsync(String id) {
        Objects.requireNonNull(id, "id");
        return client.kv().getAsync(layout.dead(id)).thenCompose(dead -> {
            if (dead.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            long nonce = ItemRecord.decode(dead.get().value(), dead.get().key()).nonce();
            return commitRetryingAsync(requeueTxn(id, dead.get()), 0).thenCompose(r -> r.succeeded()
                    ? CompletableFuture.completedFuture(true)
                    : client.kv().commitAsync(requeueCheck(id)).thenApply(check -> requeuedEarlier(id, nonce, check)));
        });
    }

    /** The requeue of {@code dead}: compared on its mod revision and on no item with its id in the queue. */
    private Transaction requeueTxn(String id, KeyValue dead) {
        ItemRecord rec = ItemRecord.decode(dead.value(), dead.key());
        ItemRecord fresh = new ItemRecord(rec.payload(), 0, rec.lastError(), 0, rec.nonce(), "");
        return Transaction.when(Compare.modRevision(layout.dead(id)).equalTo(dead.modRevision()),
                        Compare.absent(layout.item(id)))
                .then(Delete.key(layout.dead(id)), Put.of(layout.item(id), fresh.encode()),
                        Put.of(layout.pending(id), visibleValue(0)));
    }

    /** Reads the dead letter and the item of {@code id} at one revision. */
    private Transaction requeueCheck(String id) {
        return Transaction.always(Range.key(layout.dead(id)).countOnly(), Range.key(layout.item(id)));
    }

    /** Whether a failed requeue had in fact applied earlier (a lost answer): the dead letter gone, our item there. */
    private static boolean requeuedEarlier(String id, long nonce, TxnResult check) {
        return check.rangeResult(0).count() == 0 && check.rangeResult(1).first()
                .map(kv -> ItemRecord.decode(kv.value(), kv.key()).nonce() == nonce).orElse(false);
    }

    /**
     * Returns to the queue every item whose claim expired and that nobody has returned yet (a consumer's watch
     * does this as it sees claims vanish; this catches what happened while no consumer watched).
     *
     * @return how many items this call returned
     */
    public int recoverExpiredClaims() {
        int recovered = 0;
        for (String id : unheldIds(client.kv().commit(heldReads()))) {
            if (recoverExpired(id)) {
                recovered++;
            }
        }
        return recovered;
    }

    /**
     * Async form of {@link #recoverExpiredClaims()}: the same reads and transactions, one item after the other,
     * each started from the previous answer's callback; no thread waits.
     *
     * @return a future of how many items this call returned; it fails with {@link OutcomeUnknownException} if the
     *     cluster could not tell whether a return happened after retries
     */
    public CompletableFuture<Integer> recoverExpiredClaimsAsync() {
        return client.kv().commitAsync(heldReads()).thenCompose(r -> {
            CompletableFuture<Integer> count = CompletableFuture.completedFuture(0);
            for (String id : unheldIds(r)) {
                count = count.thenCompose(n -> recoverExpiredAsync(id).thenApply(ok -> ok ? n + 1 : n));
            }
            return count;
        });
    }

    private Transaction heldReads() {
        return Transaction.always(Range.prefix(layout.items()).keysOnly(),
                Range.prefix(layout.pending()).keysOnly(), Range.prefix(layout.claims()).keysOnly());
    }

    /** The ids of the items that have neither a pending nor a claim key in {@link #heldReads()}'s answer. */
    private List<String> unheldIds(TxnResult r) {
        Set<String> held = new HashSet<>();
        r.rangeResult(1).kvs().forEach(kv -> held.add(layout.idOf(kv.key(), layout.pending())));
        r.rangeResult(2).kvs().forEach(kv -> held.add(layout.idOf(kv.key(), layout.claims())));
        List<String> out = new ArrayList<>();
        for (KeyValue kv : r.rangeResult(0).kvs()) {
            String id = layout.idOf(kv.key(), layout.items());
            if (!held.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * Returns one item whose claim vanished: only if the item exists with neither a pending nor a claim key, in a
     * transaction comparing all three, so any number of consumers may try at once and one succeeds.
     */
    boolean recoverExpired(String id) {
        Transaction txn = recoverTxn(id, client.kv().commit(recoverReads(id)));
        return txn != null && commitRetrying(txn).succeeded();
    }

    /** {@link #recoverExpired}, the read and the transaction chained from callbacks. */
    CompletableFuture<Boolean> recoverExpiredAsync(String id) {
        return client.kv().commitAsync(recoverReads(id)).thenCompose(read -> {
            Transaction txn = recoverTxn(id, read);
            return txn == null ? CompletableFuture.completedFuture(false)
                    : commitRetryingAsync(txn, 0).thenApply(TxnResult::succeeded);
        });
    }

    private Transaction recoverReads(String id) {
        return Transaction.always(Range.key(layout.item(id)), Range.key(layout.pending(id)).countOnly(),
                Range.key(layout.claim(id)).countOnly());
    }

    /** The return of the item read by {@link #recoverReads}, or null when it is gone, pending or claimed. */
    private Transaction recoverTxn(String id, TxnResult read) {
        Optional<KeyValue> item = read.rangeResult(0).first();
        if (item.isEmpty() || read.rangeResult(1).count() > 0 || read.rangeResult(2).count() > 0) {
            return null;
        }
        ItemRecord rec = ItemRecord.decode(item.get().value(), item.get().key());
        List<Op> ops = failureOps(id, rec, "claim expired: the consumer's session ended before ack or nack");
        return Transaction.when(Compare.modRevision(layout.item(id)).equalTo(item.get().modRevision()),
                Compare.absent(layout.pending(id)), Compare.absent(layout.claim(id))).then(ops);
    }

    /** The writes of one failed delivery: back to the queue with one more attempt, or to the dead letters. */
    List<Op> failureOps(String id, ItemRecord rec, String error) {
        ItemRecord next = rec.failedOnce(error, 0);
        List<Op> ops = new ArrayList<>(3);
        if (next.attempts() >= maxAttempts) {
            ops.add(Delete.key(layout.item(id)));
            ops.add(Put.of(layout.dead(id), next.encode()));
            ops.addAll(releaseDedup(rec));
        } else {
            ops.add(Put.of(layout.item(id), next.encode()));
            ops.add(Put.of(layout.pending(id), visibleValue(0)));
        }
        return ops;
    }

    /** The delete of the item's dedup key, if it has one: once acknowledged or dead, the key is free again. */
    List<Op> releaseDedup(ItemRecord rec) {
        return rec.dedupKey().isEmpty() ? List.of() : List.of(Delete.key(layout.dedup(rec.dedupKey())));
    }

    /** Commits a transaction that is safe to repeat (its compares make a second application a no-op). */
    TxnResult commitRetrying(Transaction txn) {
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return client.kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                last = e;
                pauseBeforeRetry(i);
            }
        }
        throw last;
    }

    /** {@link #commitRetrying}, the attempts chained, a lost answer retried after a pause on a delayed executor. */
    CompletableFuture<TxnResult> commitRetryingAsync(Transaction txn, int attempt) {
        return client.kv().commitAsync(txn).handle((r, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof OutcomeUnknownException && attempt + 1 < ATTEMPTS) {
                return later(attempt, () -> commitRetryingAsync(txn, attempt + 1));
            }
            return CompletableFuture.<TxnResult>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** A lost answer usually means a leader change: give the election time (about 2 s over all attempts). */
    static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(50L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.etcdkit.EtcdException("interrupted while retrying a work queue transaction", e);
        }
    }

    /** Runs {@code next} after {@link #pauseBeforeRetry}'s pause, on a delayed executor: no thread waits. */
    static <R> CompletableFuture<R> later(int attempt, java.util.function.Supplier<CompletableFuture<R>> next) {
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                50L << Math.min(attempt, 4), java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> next.get());
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    static Bytes visibleValue(long visibleAtMillis) {
        return Bytes.of(Long.toString(visibleAtMillis));
    }

    static long visibleAt(Bytes value) {
        try {
            return Long.parseLong(value.toStringUtf8());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String newId() {
        return String.format("%012x-%06x-%04x", System.currentTimeMillis(), SEQUENCE.incrementAndGet() & 0xffffff,
                ThreadLocalRandom.current().nextInt(0x10000));
    }

    /** Stops this instance's watch (consumers of it stop being woken). Idempotent. */
    @Override
    public void close() {
        synchronized (watcherLock) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
        }
    }

    @Override
    public String toString() {
        return "WorkQueue[" + layout.name() + ", maxAttempts " + maxAttempts + "]";
    }
}
