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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
        Objects.requireNonNull(value, "value");
        if (priority < 0 || priority > 999) {
            throw new InvalidArgumentException("a priority must be between 0 and 999, got " + priority);
        }
        Bytes key = prefix.concat(Bytes.of((priorities ? String.format("%03d/", 999 - priority) : "") + newId()));
        if (capacity == 0) {
            commit(Transaction.when(Compare.absent(key)).then(Put.of(key, value)));
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<KeyValue> counter = client.kv().get(sizeKey());
            long size = counter.map(kv -> Long.parseLong(kv.valueAsString())).orElse(0L);
            if (size < capacity) {
                Compare unchanged = Compare.modRevision(sizeKey()).equalTo(counter.map(KeyValue::modRevision).orElse(0L));
                TxnResult r = commit(Transaction.when(unchanged, Compare.absent(key))
                        .then(Put.of(key, value), Put.of(sizeKey(), Bytes.of(Long.toString(size + 1))))
                        .otherwise(Range.key(key).countOnly()));
                if (r.succeeded() || r.rangeResult(0).count() > 0) {
                    return;
                }
                continue; // another put or take changed the size: read again
            }
            if (whenFull == WhenFull.FAIL || System.nanoTime() - deadline >= 0) {
                throw new QueueFullException("the queue " + prefix + " holds " + size + " values, its capacity "
                        + capacity + (whenFull == WhenFull.FAIL ? "; take some first, or bound it with WhenFull.BLOCK"
                        : "; no room within " + timeout));
            }
            awaitChange(sizeKey(), counter.get().modRevision(), deadline);
        }
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

    private record Head(KeyValue kv, long revision, KeyValue counter) {
    }

    private Head head() {
        List<Op> reads = new ArrayList<>();
        if (priorities) {
            reads.add(Range.prefix(prefix).limit(1).keysOnly()); // the best bucket's first key, in key order
        } else {
            reads.add(Range.prefix(prefix).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1));
        }
        reads.add(Range.key(sizeKey()));
        TxnResult r = client.kv().commit(Transaction.always(reads.toArray(Op[]::new)));
        Optional<KeyValue> first = r.rangeResult(0).first();
        KeyValue counter = r.rangeResult(1).first().orElse(null);
        if (first.isEmpty() || !priorities) {
            return new Head(first.orElse(null), r.revision(), counter);
        }
        String key = first.get().keyAsString();
        Bytes bucket = Bytes.of(key.substring(0, prefix.size() + 4));
        TxnResult b = client.kv().commit(Transaction.always(
                Range.prefix(bucket).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1),
                Range.key(sizeKey())));
        return new Head(b.rangeResult(0).first().orElse(null), b.revision(), b.rangeResult(1).first().orElse(null));
    }

    private boolean removeHead(Head head) {
        List<Compare> when = new ArrayList<>(List.of(Compare.modRevision(head.kv.key()).equalTo(head.kv.modRevision())));
        List<Op> then = new ArrayList<>(List.of(Delete.key(head.kv.key())));
        if (capacity > 0 && head.counter != null) {
            long size = Long.parseLong(head.counter.valueAsString());
            when.add(Compare.modRevision(sizeKey()).equalTo(head.counter.modRevision()));
            then.add(Put.of(sizeKey(), Bytes.of(Long.toString(Math.max(0, size - 1)))));
        }
        Transaction txn = Transaction.when(when).then(then);
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
            // The head is gone, but our earlier attempt (answer lost) or another taker may have deleted it.
            throw new OutcomeUnknownException("take from " + this + ": the answer for " + head.kv.keyAsString()
                    + " was lost and the value is gone now; this call or another taker took it, and it is not"
                    + " returned (delivery is at most once)", lost);
        }
        throw lost;
    }

    /**
     * The number of values in the queue.
     *
     * @return the count, read at one revision
     */
    public long size() {
        return client.kv().count(Range.prefix(prefix));
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
