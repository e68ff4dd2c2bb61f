package io.etcdkit.recipes.queue;

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
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.internal.Deadlines;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A queue of values under a key prefix: FIFO by create revision ({@link #fifo}), or by priority then FIFO
 * ({@link #priority}). A take is a transaction that deletes the head only if its mod revision is unchanged since
 * it was read, so two takers never get the same value; a value is delivered at most once (a taker that dies after
 * its take loses it: use {@link io.etcdkit.recipes.workqueue.WorkQueue} for at-least-once).
 *
 * <p><b>Keys.</b> Values live at {@code prefix + id} (FIFO) or {@code prefix + bucket + "/" + id} (priority;
 * bucket = {@code 999 - priority} in three digits, so a range read in key order meets the highest priority
 * first). A bounded queue keeps its size counter at {@code etcdkit/queue-size/<prefix>}, outside the prefix.
 *
 * <p><b>Bounded queues</b> ({@link #bounded}) put and take in transactions that also compare and update the size
 * counter, so the capacity holds under any concurrency (at the cost of puts and takes contending on one key).
 *
 * <p>Thread-safe. Blocked takers of one instance wait in a line that shares one watch on the prefix: each put
 * wakes the first of them only. Takers of other instances (other processes) have their own line, so a put wakes
 * at most one taker per instance; the work queue wakes one taker over all processes.
 */
public final class DistributedQueue {
    private static final int ATTEMPTS = 7;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final EtcdClient client;
    private final Bytes prefix;
    private final boolean priorities;
    private final long capacity;
    private final WhenFull whenFull;
    private final TakerLine takers;

    private DistributedQueue(EtcdClient client, Bytes prefix, boolean priorities, long capacity, WhenFull whenFull) {
        this.client = client;
        this.prefix = prefix;
        this.priorities = priorities;
        this.capacity = capacity;
        this.whenFull = whenFull;
        this.takers = new TakerLine(client, prefix);
    }

    /**
     * A FIFO queue under {@code prefix} (ordered by create revision).
     *
     * @param client the client
     * @param prefix the key prefix, ending in {@code /}
     * @return the queue
     * @throws InvalidArgumentException if the prefix is empty or does not end in {@code /}
     */
    public static DistributedQueue fifo(EtcdClient client, String prefix) {
        return new DistributedQueue(Objects.requireNonNull(client, "client"), checked(prefix), false, 0,
                WhenFull.FAIL);
    }

    /**
     * A priority queue under {@code prefix}: the highest priority first, FIFO among equal priorities.
     *
     * @param client the client
     * @param prefix the key prefix, ending in {@code /}
     * @return the queue
     * @throws InvalidArgumentException if the prefix is empty or does not end in {@code /}
     */
    public static DistributedQueue priority(EtcdClient client, String prefix) {
        return new DistributedQueue(Objects.requireNonNull(client, "client"), checked(prefix), true, 0,
                WhenFull.FAIL);
    }

    private static Bytes checked(String prefix) {
        if (prefix == null || prefix.isEmpty() || !prefix.endsWith("/")) {
            throw new InvalidArgumentException("a queue prefix must be non-empty and end in '/', got " + prefix);
        }
        return Bytes.of(prefix);
    }

    /**
     * The same queue, bounded: at most {@code capacity} values; a put into a full queue fails or blocks.
     *
     * @param capacity 1 or more
     * @param whenFull what a put into a full queue does
     * @return the bounded queue
     * @throws InvalidArgumentException if {@code capacity < 1}
     */
    public DistributedQueue bounded(long capacity, WhenFull whenFull) {
        if (capacity < 1) {
            throw new InvalidArgumentException("a bounded queue's capacity must be at least 1, got " + capacity);
        }
        return new DistributedQueue(client, prefix, priorities, capacity, Objects.requireNonNull(whenFull));
    }

    /**
     * Puts a value (priority 0 in a priority queue).
     *
     * @param value the value
     * @throws QueueFullException if the queue is bounded and full (and {@link WhenFull#FAIL}, or BLOCK timed out
     *     after 30 s)
     * @throws InterruptedException if interrupted while waiting for room
     */
    public void put(Bytes value) throws InterruptedException {
        put(value, 0);
    }

    /**
     * Puts a value with a priority (ignored by a FIFO queue).
     *
     * @param value the value
     * @param priority 0 to 999, higher taken first
     * @throws InvalidArgumentException if the priority is out of range
     * @throws QueueFullException if the queue is bounded and full (and {@link WhenFull#FAIL}, or BLOCK timed out
     *     after 30 s)
     * @throws InterruptedException if interrupted while waiting for room
     */
    public void put(Bytes value, int priority) throws InterruptedException {
        put(value, priority, Duration.ofSeconds(30));
    }

    /**
     * Puts a value with a priority, waiting up to {@code timeout} for room in a full {@link WhenFull#BLOCK} queue.
     *
     * @param value the value
     * @param priority 0 to 999, higher taken first (ignored by a FIFO queue)
     * @param timeout how long a blocking put waits for room
     * @throws InvalidArgumentException if the priority is out of range
     * @throws QueueFullException if the queue is bounded and full
     * @throws InterruptedException if interrupted while waiting for room
     */
    public void put(Bytes value, int priority, Duration timeout) throws InterruptedException {
        Bytes key = newKey(value, priority);
        if (capacity == 0) {
            commit(Transaction.when(Compare.absent(key)).then(Put.of(key, value)));
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<KeyValue> counter = client.kv().get(sizeKey());
            long size = size(counter);
            if (size < capacity) {
                TxnResult r = commit(boundedPut(key, value, counter));
                if (r.succeeded() || r.rangeResult(0).count() > 0) {
                    return;
                }
                continue; // another put or take changed the size: read again
            }
            if (whenFull == WhenFull.FAIL || System.nanoTime() - deadline >= 0) {
                throw full(size, timeout);
            }
            awaitChange(sizeKey(), counter.get().modRevision(), deadline);
        }
    }

    /** The key of a new value; checks the arguments. */
    private Bytes newKey(Bytes value, int priority) {
        Objects.requireNonNull(value, "value");
        if (priority < 0 || priority > 999) {
            throw new InvalidArgumentException("a priority must be between 0 and 999, got " + priority);
        }
        return prefix.concat(Bytes.of((priorities ? String.format("%03d/", 999 - priority) : "") + newId()));
    }

    private static long size(Optional<KeyValue> counter) {
        return counter.map(kv -> Long.parseLong(kv.valueAsString())).orElse(0L);
    }

    /** A put into a bounded queue with room: the value and the counter, if the counter is still as read. */
    private Transaction boundedPut(Bytes key, Bytes value, Optional<KeyValue> counter) {
        Compare unchanged = Compare.modRevision(sizeKey()).equalTo(counter.map(KeyValue::modRevision).orElse(0L));
        return Transaction.when(unchanged, Compare.absent(key))
                .then(Put.of(key, value), Put.of(sizeKey(), Bytes.of(Long.toString(size(counter) + 1))))
                .otherwise(Range.key(key).countOnly());
    }

    private QueueFullException full(long size, Duration timeout) {
        return new QueueFullException("the queue " + prefix + " holds " + size + " values, its capacity "
                + capacity + (whenFull == WhenFull.FAIL ? "; take some first, or bound it with WhenFull.BLOCK"
                : "; no room within " + timeout));
    }

    /**
     * Takes the head if there is one now.
     *
     * @return the value, or empty if the queue is empty
     * @throws OutcomeUnknownException if the answer to the take was lost and the head is gone (see
     *     {@link #take(Duration)})
     */
    public Optional<Bytes> poll() {
        try {
            return take(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Takes the head, waiting until one is put.
     *
     * @return the value
     * @throws InterruptedException if interrupted while waiting
     * @throws OutcomeUnknownException if the answer to the take was lost and the head is gone (see
     *     {@link #take(Duration)})
     */
    public Bytes take() throws InterruptedException {
        while (true) {
            Optional<Bytes> v = take(Duration.ofDays(1));
            if (v.isPresent()) {
                return v.get();
            }
        }
    }

    /**
     * Takes the head, waiting up to {@code timeout} for one.
     *
     * @param timeout how long to wait; zero means "only if one is there now"
     * @return the value, or empty at the timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws OutcomeUnknownException if the answer to the take was lost (a leader change) and the head is gone:
     *     this call may have taken it, so the value may be lost (the queue delivers at most once)
     */
    public Optional<Bytes> take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Head head = head();
            if (head.kv != null) {
                if (removeHead(head)) {
                    return Optional.of(head.kv.value());
                }
                continue; // another taker won: the next head
            }
            if (System.nanoTime() - deadline >= 0) {
                return Optional.empty();
            }
            CompletableFuture<Void> turn = takers.join(head.revision);
            boolean woken = false;
            try {
                turn.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                woken = true;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // the deadline: the loop reads once more
            } finally {
                takers.leave(turn, woken);
            }
        }
    }

    // ---- async forms -----------------------------------------------------------------------------------------

    /**
     * Async form of {@link #put(Bytes)}.
     *
     * @param value the value
     * @return a future completed when the value is in the queue; it fails as {@link #putAsync(Bytes, int, Duration)}
     */
    public CompletableFuture<Void> putAsync(Bytes value) {
        return putAsync(value, 0);
    }

    /**
     * Async form of {@link #put(Bytes, int)}.
     *
     * @param value the value
     * @param priority 0 to 999, higher taken first (ignored by a FIFO queue)
     * @return a future completed when the value is in the queue; it fails as {@link #putAsync(Bytes, int, Duration)}
     */
    public CompletableFuture<Void> putAsync(Bytes value, int priority) {
        return putAsync(value, priority, Duration.ofSeconds(30));
    }

    /**
     * Async form of {@link #put(Bytes, int, Duration)}: the same transactions, each started from the previous
     * step's callback; a full {@link WhenFull#BLOCK} queue is waited on with a watch on its size counter and a
     * timer, no thread waits. A lost answer is retried after a pause on a delayed executor (the put's compare makes
     * a second application a no-op).
     *
     * @param value the value
     * @param priority 0 to 999, higher taken first (ignored by a FIFO queue)
     * @param timeout how long a put into a full {@link WhenFull#BLOCK} queue waits for room
     * @return a future completed when the value is in the queue; it fails with {@link InvalidArgumentException}
     *     for a priority out of range, {@link QueueFullException} when the bounded queue is full (at once with
     *     {@link WhenFull#FAIL}, after {@code timeout} with {@link WhenFull#BLOCK}), or the client's errors
     */
    public CompletableFuture<Void> putAsync(Bytes value, int priority, Duration timeout) {
        Bytes key;
        try {
            key = newKey(value, priority);
            Objects.requireNonNull(timeout, "timeout");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (capacity == 0) {
            return commitAsync(Transaction.when(Compare.absent(key)).then(Put.of(key, value)), 0)
                    .thenApply(r -> null);
        }
        return putBoundedAsync(key, value, timeout, System.nanoTime() + Deadlines.nanos(timeout));
    }

    private CompletableFuture<Void> putBoundedAsync(Bytes key, Bytes value, Duration timeout, long deadline) {
        return client.kv().getAsync(sizeKey()).thenCompose(counter -> {
            long size = size(counter);
            if (size < capacity) {
                return commitAsync(boundedPut(key, value, counter), 0).thenCompose(r ->
                        r.succeeded() || r.rangeResult(0).count() > 0 ? CompletableFuture.<Void>completedFuture(null)
                                : putBoundedAsync(key, value, timeout, deadline)); // the size changed: read again
            }
            if (whenFull == WhenFull.FAIL || System.nanoTime() - deadline >= 0) {
                throw full(size, timeout);
            }
            return changeAsync(sizeKey(), counter.get().modRevision(), deadline)
                    .thenCompose(v -> putBoundedAsync(key, value, timeout, deadline));
        });
    }

    /**
     * Async form of {@link #poll()}: the head's reads and its removal chained, no thread waits.
     *
     * @return a future of the value, or empty if the queue is empty; it fails with
     *     {@link OutcomeUnknownException} if the answer to the take was lost and the head is gone
     */
    public CompletableFuture<Optional<Bytes>> pollAsync() {
        return takeAsync(Duration.ZERO);
    }

    /**
     * Async form of {@link #take()}: waits, without a thread, until a value is put.
     *
     * @return a future of the value; see {@link #takeAsync(Duration)} for how it waits, fails and is cancelled
     */
    public CompletableFuture<Bytes> takeAsync() {
        return new AsyncTake(this, takers, -1).start().thenApply(Optional::get);
    }

    /**
     * Async form of {@link #take(Duration)}: the head's reads and its removal are chained on the client's futures;
     * an empty queue is waited on in this instance's line of takers (shared with the blocking {@code take}s: each
     * put wakes the first in line) with a timer for {@code timeout}, so no thread waits. Cancelling the future
     * withdraws the take from the line (a wake-up it received passes on to the next taker); a removal already
     * sent when it is cancelled may still take the head, and that value is then lost (delivery is at most once).
     * The future completes on the client's callback executor (or on the cancelling thread).
     *
     * @param timeout how long to wait; zero means "only if one is there now"
     * @return a future of the value, or empty at the timeout; it fails with {@link OutcomeUnknownException} if
     *     the answer to the take was lost (a leader change) and the head is gone: this call may have taken it
     */
    public CompletableFuture<Optional<Bytes>> takeAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new AsyncTake(this, takers, Deadlines.nanos(timeout)).start();
    }

    record Head(KeyValue kv, long revision, KeyValue counter) {
    }

    private Head head() {
        TxnResult r = client.kv().commit(headReads());
        Optional<Transaction> bucket = bucketReads(r);
        return bucket.isEmpty() ? headOf(r) : headOf(client.kv().commit(bucket.get()));
    }

    /** {@link #head()}, the reads chained; no thread waits. */
    CompletableFuture<Head> headAsync() {
        return client.kv().commitAsync(headReads()).thenCompose(r -> bucketReads(r)
                .map(bucket -> client.kv().commitAsync(bucket).thenApply(this::headOf))
                .orElseGet(() -> CompletableFuture.completedFuture(headOf(r))));
    }

    /** The first read for the head: the first value (by key in a priority queue) and the size counter. */
    private Transaction headReads() {
        List<Op> reads = new ArrayList<>();
        if (priorities) {
            reads.add(Range.prefix(prefix).limit(1).keysOnly()); // the best bucket's first key, in key order
        } else {
            reads.add(Range.prefix(prefix).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1));
        }
        reads.add(Range.key(sizeKey()));
        return Transaction.always(reads.toArray(Op[]::new));
    }

    /** In a priority queue with values, the second read: the oldest value of the best bucket, and the counter. */
    private Optional<Transaction> bucketReads(TxnResult r) {
        Optional<KeyValue> first = r.rangeResult(0).first();
        if (first.isEmpty() || !priorities) {
            return Optional.empty();
        }
        Bytes bucket = Bytes.of(first.get().keyAsString().substring(0, prefix.size() + 4));
        return Optional.of(Transaction.always(
                Range.prefix(bucket).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1),
                Range.key(sizeKey())));
    }

    private Head headOf(TxnResult r) {
        return new Head(r.rangeResult(0).first().orElse(null), r.revision(), r.rangeResult(1).first().orElse(null));
    }

    private boolean removeHead(Head head) {
        Transaction txn = removal(head);
        OutcomeUnknownException lost = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            TxnResult r;
            try {
                r = client.kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                lost = e;
                pauseBeforeRetry(i);
                continue;
            }
            if (r.succeeded()) {
                return true;
            }
            if (lost == null) {
                return false; // another taker won
            }
            throw lostTake(head, lost);
        }
        throw lost;
    }

    /** {@link #removeHead}, the attempts chained (a lost answer retried after a pause on a delayed executor). */
    CompletableFuture<Boolean> removeHeadAsync(Head head) {
        return removeHeadAsync(head, removal(head), 0, null);
    }

    private CompletableFuture<Boolean> removeHeadAsync(Head head, Transaction txn, int attempt,
            OutcomeUnknownException lost) {
        return client.kv().commitAsync(txn).handle((r, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                if (!(cause instanceof OutcomeUnknownException now)) {
                    return CompletableFuture.<Boolean>failedFuture(cause);
                }
                if (attempt + 1 >= ATTEMPTS) {
                    return CompletableFuture.<Boolean>failedFuture(now);
                }
                return later(attempt, () -> removeHeadAsync(head, txn, attempt + 1, now));
            }
            if (r.succeeded()) {
                return CompletableFuture.completedFuture(true);
            }
            return lost == null ? CompletableFuture.completedFuture(false) // another taker won
                    : CompletableFuture.<Boolean>failedFuture(lostTake(head, lost));
        }).thenCompose(f -> f);
    }

    /** The head's removal: only if unchanged since read (and, bounded, with the counter decremented). */
    private Transaction removal(Head head) {
        List<Compare> when = new ArrayList<>(List.of(Compare.modRevision(head.kv.key()).equalTo(head.kv.modRevision())));
        List<Op> then = new ArrayList<>(List.of(Delete.key(head.kv.key())));
        if (capacity > 0 && head.counter != null) {
            long size = Long.parseLong(head.counter.valueAsString());
            when.add(Compare.modRevision(sizeKey()).equalTo(head.counter.modRevision()));
            then.add(Put.of(sizeKey(), Bytes.of(Long.toString(Math.max(0, size - 1)))));
        }
        return Transaction.when(when).then(then);
    }

    /** The head is gone, but our earlier attempt (answer lost) or another taker may have deleted it. */
    private OutcomeUnknownException lostTake(Head head, OutcomeUnknownException lost) {
        return new OutcomeUnknownException("take from " + this + ": the answer for " + head.kv.keyAsString()
                + " was lost and the value is gone now; this call or another taker took it, and it is not"
                + " returned (delivery is at most once)", lost);
    }

    /**
     * The number of values in the queue.
     *
     * @return the count, read at one revision
     */
    public long size() {
        return client.kv().count(Range.prefix(prefix));
    }

    /**
     * Async form of {@link #size()}: one count-only read.
     *
     * @return a future of the count, read at one revision
     */
    public CompletableFuture<Long> sizeAsync() {
        return client.kv().countAsync(Range.prefix(prefix));
    }

    /** The line of this instance's blocked takers (for tests). */
    TakerLine takers() {
        return takers;
    }

    private Bytes sizeKey() {
        return Bytes.of("etcdkit/queue-size/").concat(prefix);
    }

    /** Waits until {@code key} changes after {@code seenAt} (a bounded put waiting for room), or the deadline. */
    private void awaitChange(Bytes key, long seenAt, long deadline) throws InterruptedException {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        Watch watch = Watch.key(key).fromRevision(seenAt + 1);
        Watcher watcher = client.watches().watch(watch, e -> {
            if (e instanceof PutEvent || e instanceof io.etcdkit.watch.CompactedEvent
                    || e instanceof io.etcdkit.watch.EndedEvent) {
                changed.complete(null);
            }
        });
        try {
            changed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // the deadline, or the watch ended: the caller reads again
        } finally {
            watcher.close();
        }
    }

    /**
     * {@link #awaitChange}, without a thread: completes when {@code key} changes after {@code seenAt}, the watch
     * ends, or at the deadline; the watch is closed then.
     */
    private CompletableFuture<Void> changeAsync(Bytes key, long seenAt, long deadline) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        Watcher watcher;
        try {
            watcher = client.watches().watch(Watch.key(key).fromRevision(seenAt + 1), e -> {
                if (e instanceof PutEvent || e instanceof io.etcdkit.watch.CompactedEvent
                        || e instanceof io.etcdkit.watch.EndedEvent) {
                    changed.complete(null);
                }
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        changed.completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return changed.whenComplete((v, e) -> watcher.close());
    }

    /** {@link #commit}, the attempts chained, a lost answer retried after a pause on a delayed executor. */
    private CompletableFuture<TxnResult> commitAsync(Transaction txn, int attempt) {
        return client.kv().commitAsync(txn).handle((r, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof OutcomeUnknownException && attempt + 1 < ATTEMPTS) {
                return later(attempt, () -> commitAsync(txn, attempt + 1));
            }
            return CompletableFuture.<TxnResult>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    /** Runs {@code next} after {@link #pauseBeforeRetry}'s pause, on a delayed executor: no thread waits. */
    private static <R> CompletableFuture<R> later(int attempt, Supplier<CompletableFuture<R>> next) {
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                50L << Math.min(attempt, 4), TimeUnit.MILLISECONDS)).thenCompose(ignored -> next.get());
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Commits a transaction whose compares make a second application a no-op (puts). */
    private TxnResult commit(Transaction txn) {
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

    /** A lost answer usually means a leader change: give the election time (about 2 s over all attempts). */
    private static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(50L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.etcdkit.EtcdException("interrupted while retrying a queue transaction", e);
        }
    }

    private static String newId() {
        return String.format("%012x-%06x-%04x", System.currentTimeMillis(), SEQUENCE.incrementAndGet() & 0xffffff,
                ThreadLocalRandom.current().nextInt(0x10000));
    }

    @Override
    public String toString() {
        return "DistributedQueue[" + new String(prefix.toByteArray(), StandardCharsets.UTF_8)
                + (priorities ? ", priority" : ", fifo") + (capacity > 0 ? ", capacity " + capacity : "") + "]";
    }
}
