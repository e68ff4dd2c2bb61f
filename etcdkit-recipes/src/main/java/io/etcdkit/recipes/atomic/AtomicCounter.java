package io.etcdkit.recipes.atomic;

import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.codec.ValueDecodingException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit counter shared through one etcd key, used like {@link java.util.concurrent.atomic.AtomicLong}.
 *
 * <pre>{@code
 * AtomicCounter hits = AtomicCounter.of(client, "stats/hits");
 * long now = hits.incrementAndGet();
 * hits.addAndGetAsync(10).thenAccept(v -> log.info("hits: {}", v));
 * }</pre>
 *
 * <h2>Storage</h2>
 * The value is stored at the counter's key as decimal text ({@code 42}, {@code -7}), so {@code etcdctl get} shows
 * the number and {@code etcdctl put stats/hits 100} sets it. <b>A missing key counts as 0</b>; the first write
 * creates it. A value that is not a decimal {@code long} makes every operation fail with
 * {@link ValueDecodingException} (naming the key and the value) and nothing is written over it.
 *
 * <p>Every write also stores a unique operation id in a <b>marker key</b>, by default the counter's key followed
 * by {@value #MARKER_SUFFIX} ({@code stats/hits/.last-op}), in the same transaction. The marker is what lets an
 * operation whose outcome is unknown learn whether it was applied (see below). Choose another marker key with
 * {@link #markerKey(String)} if the default collides with your keys, for example when you list a prefix of
 * counters and decode every value as a number (the marker holds a UUID, not a number). All users of one counter
 * must use the same marker key. Do not delete the marker (or the counter) while operations may be in flight: to
 * reset the counter use {@link #set(long) set(0)}. Both keys are relative to the client's namespace.
 *
 * <h2>How updates work</h2>
 * An update reads the counter and marker at one revision, computes the new value, and commits a transaction that
 * writes both only if neither key's modification revision changed since. If another writer came first, it
 * retries with the fresh value, after a jittered exponential back-off from the second retry on; after
 * {@link #retries(int)} retries, or when {@link #deadline(Duration)} has passed, it gives up with
 * {@link CounterContentionException} having written nothing. Plain puts to the counter key by other tools are
 * respected: they are never overwritten by a stale update.
 *
 * <h2>Unknown outcomes: never applied twice, never silently dropped</h2>
 * When etcd does not answer a commit ({@link OutcomeUnknownException} from the client, as when the leader
 * dies mid-request), the operation is not retried blindly. It first re-reads both keys: if the marker holds the
 * operation's id, it was applied and its result is returned. If neither key changed, it was not applied yet,
 * and the identical transaction is sent again (both copies compare the same revisions, so at most one of them
 * ever applies). If the marker changed, the operation was applied exactly if it made the marker's first change
 * after the revision it was based on, which is read from etcd's history with a watch. When that history has been
 * compacted away, or etcd stays unreachable past the deadline, the outcome cannot be known: the call then fails
 * with {@link OutcomeUnknownException}, whose message names the operation id and how to check it by hand. Even
 * then the operation has been applied at most once.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety:</b> immutable and thread-safe; share one instance. The option methods return new
 *       instances. An {@code AtomicCounter} holds no resources (no lease, no watch between calls), so it has
 *       nothing to close.</li>
 *   <li><b>Consistency:</b> every operation is linearizable: reads are linearizable and writes are
 *       compare-and-swap transactions.</li>
 *   <li><b>Arithmetic</b> wraps around on overflow, as {@code AtomicLong}'s does.</li>
 *   <li><b>Functions</b> passed to {@link #updateAndGet} may run several times (once per attempt) and on the
 *       client's callback executor: they must be quick and free of side effects.</li>
 *   <li><b>Async forms</b> complete on the client's callback executor or the common fork-join pool (after a
 *       back-off), never on a transport thread, with the same exceptions the blocking forms throw.</li>
 *   <li><b>Failures:</b> {@link CounterContentionException} (gave up, nothing written),
 *       {@link ValueDecodingException} (the stored value is not a number, nothing written),
 *       {@link OutcomeUnknownException} (applied at most once, undecidable), and the client's other
 *       {@link EtcdException}s, which mean nothing was written.</li>
 * </ul>
 */
public final class AtomicCounter {
    /** What is appended to the counter's key to make the default marker key. */
    public static final String MARKER_SUFFIX = "/.last-op";

    private static final int DEFAULT_RETRIES = 100;
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final EtcdClient client;
    private final Bytes key;
    private final Bytes markerKey;
    private final int retries;
    private final Backoff backoff;
    private final Duration deadline;

    private AtomicCounter(EtcdClient client, Bytes key, Bytes markerKey, int retries, Backoff backoff,
            Duration deadline) {
        this.client = client;
        this.key = key;
        this.markerKey = markerKey;
        this.retries = retries;
        this.backoff = backoff;
        this.deadline = deadline;
    }

    /**
     * The counter stored at {@code key}, with its marker at {@code key + "/.last-op"}, up to 100 retries on
     * conflicts, a back-off of 2 ms doubling up to 250 ms, and a deadline of 30 s per operation. Nothing is read
     * or written until an operation is called.
     *
     * @param client the client to use
     * @param key the key
     * @return the counter stored at {@code key}, with its marker at {@code key + "/.last-op"}, up to 100 retries on conflicts, a back-off of 2 ms doubling up to 250 ms, and a deadline of 30 s per operation
     * @throws InvalidArgumentException when the key is empty
     */
    public static AtomicCounter of(EtcdClient client, Bytes key) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new InvalidArgumentException("the counter's key must not be empty");
        }
        return new AtomicCounter(client, key, key.concat(Bytes.of(MARKER_SUFFIX)), DEFAULT_RETRIES,
                Backoff.conflicts(Duration.ofMillis(2), Duration.ofMillis(250)), DEFAULT_DEADLINE);
    }

    /**
     * The counter stored at the UTF-8 key {@code key}; see {@link #of(EtcdClient, Bytes)}.
     *
     * @param client the client to use
     * @param key the key
     * @return the counter stored at the UTF-8 key {@code key}; see {@link #of(EtcdClient, Bytes)}
     */
    public static AtomicCounter of(EtcdClient client, String key) {
        Objects.requireNonNull(key, "key");
        return of(client, Bytes.of(key));
    }

    // ---- options --------------------------------------------------------------------------------------------

    /**
     * This counter, giving up after {@code retries} conflicts per operation (0: a single attempt).
     *
     * @param retries the retries
     * @return this counter, giving up after {@code retries} conflicts per operation (0: a single attempt)
     * @throws InvalidArgumentException when negative
     */
    public AtomicCounter retries(int retries) {
        if (retries < 0) {
            throw new InvalidArgumentException("retries must be 0 or more, got " + retries);
        }
        return new AtomicCounter(client, key, markerKey, retries, backoff, deadline);
    }

    /**
     * This counter, waiting between retries a random time up to {@code initial}, doubling per retry up to
     * {@code max} (full jitter). The first retry after a conflict goes out at once.
     *
     * @param initial the first value
     * @param max the maximum
     * @return this counter, waiting between retries a random time up to {@code initial}, doubling per retry up to {@code max} (full jitter)
     * @throws InvalidArgumentException when {@code initial} is not positive or {@code max} is shorter
     */
    public AtomicCounter backoff(Duration initial, Duration max) {
        return new AtomicCounter(client, key, markerKey, retries, Backoff.conflicts(initial, max), deadline);
    }

    /**
     * This counter, giving each operation {@code deadline} in total: for its attempts, back-offs and the
     * resolution of an unknown outcome. It is checked between steps; a step already sent ends within the
     * client's own call deadline.
     *
     * @param deadline the deadline of each call
     * @return this counter, giving each operation {@code deadline} in total: for its attempts, back-offs and the resolution of an unknown outcome
     * @throws InvalidArgumentException when not positive
     */
    public AtomicCounter deadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new InvalidArgumentException("the deadline must be positive, got " + deadline);
        }
        return new AtomicCounter(client, key, markerKey, retries, backoff, deadline);
    }

    /**
     * This counter with its marker at {@code markerKey} instead of {@code key + "/.last-op"}. Every user of the
     * counter must use the same marker key.
     *
     * @param markerKey the marker key
     * @return this counter with its marker at {@code markerKey} instead of {@code key + "/.last-op"}
     * @throws InvalidArgumentException when empty or equal to the counter's key
     */
    public AtomicCounter markerKey(Bytes markerKey) {
        Objects.requireNonNull(markerKey, "markerKey");
        if (markerKey.isEmpty() || markerKey.equals(key)) {
            throw new InvalidArgumentException("the marker key must be non-empty and differ from the counter's key '"
                    + key + "', got '" + markerKey + "'");
        }
        return new AtomicCounter(client, key, markerKey, retries, backoff, deadline);
    }

    /**
     * UTF-8 form of {@link #markerKey(Bytes)}.
     *
     * @param markerKey the marker key
     * @return a {@code AtomicCounter} that UTF-8 form of {@link #markerKey(Bytes)}
     */
    public AtomicCounter markerKey(String markerKey) {
        Objects.requireNonNull(markerKey, "markerKey");
        return markerKey(Bytes.of(markerKey));
    }

    /**
     * The counter's key.
     *
     * @return the counter's key
     */
    public Bytes key() {
        return key;
    }

    /**
     * The marker key, written with every update.
     *
     * @return the marker key, written with every update
     */
    public Bytes markerKey() {
        return markerKey;
    }

    // ---- operations -----------------------------------------------------------------------------------------

    /**
     * The current value (linearizable read); 0 when the key does not exist.
     *
     * @return the current value (linearizable read); 0 when the key does not exist
     */
    public CompletableFuture<Long> getAsync() {
        CompletableFuture<Optional<KeyValue>> read;
        try {
            read = client.kv().getAsync(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return read.thenApply(kv -> new CounterState(0, kv, Optional.empty()).value());
    }

    /**
     * Blocking form of {@link #getAsync()}.
     *
     * @return what {@link #getAsync()} completes with
     */
    public long get() {
        return await(getAsync(), false);
    }

    /**
     * Sets the value to {@code value}, whatever it was.
     *
     * @param value the value
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    public CompletableFuture<Void> setAsync(long value) {
        return update("set(" + value + ")", current -> OptionalLong.of(value)).thenApply(c -> null);
    }

    /**
     * Blocking form of {@link #setAsync(long)}.
     *
     * @param value the value
     */
    public void set(long value) {
        await(setAsync(value), true);
    }

    /**
     * Adds one and returns the new value.
     *
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Long> incrementAndGetAsync() {
        return addAndGet("incrementAndGet()", 1);
    }

    /**
     * Blocking form of {@link #incrementAndGetAsync()}.
     *
     * @return what {@link #incrementAndGetAsync()} completes with
     */
    public long incrementAndGet() {
        return await(incrementAndGetAsync(), true);
    }

    /**
     * Subtracts one and returns the new value.
     *
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Long> decrementAndGetAsync() {
        return addAndGet("decrementAndGet()", -1);
    }

    /**
     * Blocking form of {@link #decrementAndGetAsync()}.
     *
     * @return what {@link #decrementAndGetAsync()} completes with
     */
    public long decrementAndGet() {
        return await(decrementAndGetAsync(), true);
    }

    /**
     * Adds {@code delta} and returns the new value.
     *
     * @param delta the delta
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Long> addAndGetAsync(long delta) {
        return addAndGet("addAndGet(" + delta + ")", delta);
    }

    /**
     * Blocking form of {@link #addAndGetAsync(long)}.
     *
     * @param delta the delta
     * @return what {@link #addAndGetAsync(long)} completes with
     */
    public long addAndGet(long delta) {
        return await(addAndGetAsync(delta), true);
    }

    /**
     * Adds {@code delta} and returns the value before.
     *
     * @param delta the delta
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Long> getAndAddAsync(long delta) {
        return update("getAndAdd(" + delta + ")", current -> OptionalLong.of(current + delta))
                .thenApply(CounterChange::previous);
    }

    /**
     * Blocking form of {@link #getAndAddAsync(long)}.
     *
     * @param delta the delta
     * @return what {@link #getAndAddAsync(long)} completes with
     */
    public long getAndAdd(long delta) {
        return await(getAndAddAsync(delta), true);
    }

    /**
     * Sets the value to {@code update} if it currently is {@code expect} (a missing key is 0); true when it did.
     * False means the value was something else when read, and nothing was written.
     *
     * @param expect the value expected now
     * @param update the new value
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Boolean> compareAndSetAsync(long expect, long update) {
        return update("compareAndSet(" + expect + ", " + update + ")",
                current -> current == expect ? OptionalLong.of(update) : OptionalLong.empty())
                .thenApply(CounterChange::written);
    }

    /**
     * Blocking form of {@link #compareAndSetAsync(long, long)}.
     *
     * @param expect the value expected now
     * @param update the new value
     * @return what {@link #compareAndSetAsync(long, long)} completes with
     */
    public boolean compareAndSet(long expect, long update) {
        return await(compareAndSetAsync(expect, update), true);
    }

    /**
     * Replaces the value with {@code function} of it and returns the new value. The function may run several
     * times, once per attempt, on the client's callback executor: it must be quick and free of side effects. An
     * exception it throws fails the operation, with nothing written.
     *
     * @param function the function
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<Long> updateAndGetAsync(LongUnaryOperator function) {
        Objects.requireNonNull(function, "function");
        return update("updateAndGet(..)", current -> OptionalLong.of(function.applyAsLong(current)))
                .thenApply(CounterChange::current);
    }

    /**
     * Blocking form of {@link #updateAndGetAsync(LongUnaryOperator)}.
     *
     * @param function the function
     * @return what {@link #updateAndGetAsync(LongUnaryOperator)} completes with
     */
    public long updateAndGet(LongUnaryOperator function) {
        return await(updateAndGetAsync(function), true);
    }

    @Override
    public String toString() {
        return "AtomicCounter[" + key + ", marker " + markerKey + "]";
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private CompletableFuture<Long> addAndGet(String description, long delta) {
        return update(description, current -> OptionalLong.of(current + delta)).thenApply(CounterChange::current);
    }

    private CompletableFuture<CounterChange> update(String description, CounterUpdate update) {
        return new CounterOperation(this, description, update).run();
    }

    EtcdClient client() {
        return client;
    }

    int retryLimit() {
        return retries;
    }

    Backoff retryBackoff() {
        return backoff;
    }

    Duration operationDeadline() {
        return deadline;
    }

    /**
     * The future's value, or its failure rethrown. An interrupted caller of an update stops waiting, but the
     * update goes on in the background, so its outcome is unknown to that caller.
     */
    private <T> T await(CompletableFuture<T> future, boolean update) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            String what = "interrupted while waiting for counter '" + key + "'";
            throw update
                    ? new OutcomeUnknownException(what + "; the update goes on in the background and applies at "
                            + "most once: read the counter to learn the outcome", e)
                    : new EtcdException(what, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new EtcdException("the operation on counter '" + key + "' was cancelled", e);
        }
    }

    private static RuntimeException rethrow(Throwable failure) {
        Throwable c = failure;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof RuntimeException r) {
            r.addSuppressed(new Exception("the blocking call that received this error"));
            return r;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new EtcdException(String.valueOf(c.getMessage()), c);
    }
}
