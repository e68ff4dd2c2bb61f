package io.etcdkit.recipes.cache;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, watch-fed copy of every key under a prefix, decoded with a {@link ValueCodec} or a
 * {@link KeyBoundCodec} (such as {@link io.etcdkit.codec.EncryptedCodec} for client-side encryption).
 *
 * <pre>{@code
 * CachedView<Config> configs = CachedView.open(client, "config/", JacksonCodecs.json(Config.class));
 * CachedView<String> secrets = CachedView.builder(client, "secrets/", Codecs.encrypted(keyRing, Codecs.text()))
 *         .options(CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD))
 *         .listener(myListener)
 *         .open();
 * }</pre>
 *
 * <p><b>Opening</b> follows the recipes' one pattern: {@link #builder} collects the settings and
 * {@link Builder#open()} builds the view completely before its subscription starts (no event can reach a
 * half-built view); {@link #open(EtcdClient, String, ValueCodec)} is short for {@code builder(..).open()}.
 * The view reports to the client's {@link io.etcdkit.observe.EtcdListener}: {@code cacheOpened} on open,
 * {@code cacheConnectionChanged} when {@link #isConnected()} changes, {@code cacheClosed} on close, each with
 * the prefix as given.
 *
 * <p><b>Feeding.</b> The view runs one snapshot-then-watch subscription ({@link Subscribe}): it loads every key at
 * one pinned revision, becomes {@linkplain #awaitReady ready}, then applies live puts and deletes in revision
 * order. After a stream failure the subscription resumes from the next revision (nothing lost or doubled); the
 * view keeps serving its last state meanwhile ({@link #isConnected()} turns false, listeners get
 * {@link CacheListener#onDisconnected}). When it cannot reach etcd (the first read fails, which takes the client's
 * connect timeout when no member answers, or the watch breaks) it logs one WARN naming the prefix, the endpoints
 * and what it serves meanwhile, and one INFO when it is back: once per outage, not per retry. If compaction overtook it, the subscription re-reads the prefix and the
 * view publishes the exact new state at once and reports {@link CacheListener#onReset}.
 *
 * <p><b>Reads</b> are lock-free: the state is an immutable {@link CacheSnapshot} published through a volatile
 * field, replaced once per revision with all the changes of that revision (a multi-key transaction is never seen
 * half applied) and once for a whole snapshot or re-sync. Every read sees one consistent revision;
 * {@link #snapshot()} gives several reads the same one. A new snapshot shares all unchanged parts of the previous
 * one: a revision costs O(√n) for a view of n keys plus O(√n) per changed key, not a copy of the whole map.
 *
 * <p><b>Malformed values</b> never break the view: the failure goes to {@link CacheListener#onDecodeFailure} and
 * the key is skipped or keeps its last good value ({@link DecodeFailurePolicy}). With encryption that includes
 * every value that does not decrypt ({@link io.etcdkit.codec.DecryptionException}): a wrong or missing key, a
 * tampered value, or a ciphertext copied from another key.
 *
 * <p><b>Writes</b> go to etcd, not to the view: {@link #compareAndSet} is one transaction guarded by the key's mod
 * revision; pass the revision it returns to {@link #awaitRevision} to read your own write.
 *
 * <p>Keys are the client's keys as UTF-8 strings (relative to a namespaced client's namespace), including the
 * prefix. A {@link KeyBoundCodec} is given the same keys, as bytes, in both directions, so values must have been
 * encoded for the key as this client's {@code kv()} sees it. Thread-safe. {@link #close()} stops the
 * subscription; the last state stays readable.
 *
 * @param <T> the value type
 */
public final class CachedView<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CachedView.class);

    private final EtcdClient client;
    private final Bytes prefix;
    private final String name;
    private final KeyBoundCodec<T> codec;
    private final CacheOptions options;
    private final Predicate<Bytes> keyFilter;
    private final String label; // "cached view of prefix 'x/'" or "cached value 'k'", for the log
    private final Function<CacheSnapshot<T>, String> serving; // what is served in an outage (null: not loaded)
    private final List<CacheListener<T>> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private volatile Watcher subscription; // set by start(), once
    private volatile CacheSnapshot<T> state = CacheSnapshot.empty();
    private volatile boolean readyFlag;
    private volatile long delivered; // the revision whose listeners have all been called
    private volatile boolean streamUp = true; // no disconnect reported since the last resume
    private volatile boolean connected; // ready and the stream up; false until the first snapshot is loaded
    private volatile EtcdException ended;
    private long outageSince; // System.nanoTime() of the WARN of the current outage, 0 when none; feed only
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RevisionWaiters revisionWaiters = new RevisionWaiters();

    /** Builds a view that does nothing yet: {@link #start()} opens its subscription once it is fully built. */
    CachedView(EtcdClient client, Bytes prefix, KeyBoundCodec<T> codec, CacheOptions options,
            Predicate<Bytes> keyFilter, List<CacheListener<T>> initialListeners, String label,
            Function<CacheSnapshot<T>, String> serving) {
        this.client = client;
        this.label = label;
        this.serving = serving;
        this.prefix = prefix;
        this.name = prefix.toStringUtf8();
        this.codec = codec;
        this.options = options;
        this.keyFilter = keyFilter;
        this.listeners.addAll(initialListeners);
    }

    /**
     * Starts the subscription; called once, after construction has completed, so that no event can reach a
     * half-built view (or a half-built owner such as {@link CachedValue}). Reports {@code cacheOpened}.
     */
    CachedView<T> start() {
        client.listener().cacheOpened(name, this::size);
        ViewFeed<T> feed = new ViewFeed<>(this, codec, options.decodeFailurePolicy(), keyFilter);
        subscription = client.watches().subscribe(Subscribe.prefix(prefix).pageSize(options.pageKeys())
                .bufferSize(options.bufferEvents()), feed);
        if (closed.get()) {
            subscription.close(); // closed by a listener while starting
        }
        return this;
    }

    /**
     * Opens a view of every key under {@code prefix} (which may be empty: every key) with the
     * {@linkplain CacheOptions#defaults() defaults} and no listener; short for
     * {@code builder(client, prefix, codec).open()}. Returns at once; the view is empty until the first snapshot
     * is loaded ({@link #awaitReady}).
     *
     * @param client the client to read and watch with
     * @param prefix the prefix of the keys to hold; empty for every key
     * @param codec decodes the values
     * @param <T> the value type
     * @return the started view
     * @throws NullPointerException when an argument is null
     */
    public static <T> CachedView<T> open(EtcdClient client, String prefix, ValueCodec<T> codec) {
        return builder(client, prefix, codec).open();
    }

    /**
     * Opens a view whose values are decoded by a key-bound codec (for example client-side encryption): each
     * value is decoded with its key as this client's {@code kv()} sees it; short for
     * {@code builder(client, prefix, codec).open()}.
     *
     * @param client the client to read and watch with
     * @param prefix the prefix of the keys to hold; empty for every key
     * @param codec decodes the values, given their keys
     * @param <T> the value type
     * @return the started view
     * @throws NullPointerException when an argument is null
     */
    public static <T> CachedView<T> open(EtcdClient client, String prefix, KeyBoundCodec<T> codec) {
        return builder(client, prefix, codec).open();
    }

    /**
     * A builder of a view of every key under {@code prefix}; set options and listeners, then {@link Builder#open()}.
     *
     * @param client the client to read and watch with
     * @param prefix the prefix of the keys to hold; empty for every key
     * @param codec decodes the values
     * @param <T> the value type
     * @return a new builder
     * @throws NullPointerException when an argument is null
     */
    public static <T> Builder<T> builder(EtcdClient client, String prefix, ValueCodec<T> codec) {
        return new Builder<>(client, prefix, KeyBoundCodec.ignoringKey(Objects.requireNonNull(codec, "codec")));
    }

    /**
     * A builder of a view whose values are decoded by a key-bound codec (for example client-side encryption).
     *
     * @param client the client to read and watch with
     * @param prefix the prefix of the keys to hold; empty for every key
     * @param codec decodes the values, given their keys as this client's {@code kv()} sees them
     * @param <T> the value type
     * @return a new builder
     * @throws NullPointerException when an argument is null
     */
    public static <T> Builder<T> builder(EtcdClient client, String prefix, KeyBoundCodec<T> codec) {
        return new Builder<>(client, prefix, codec);
    }

    /**
     * Collects a view's settings; {@link #open()} builds the view and only then starts its subscription. Not
     * thread-safe; each {@code open()} opens a new view.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final EtcdClient client;
        private final String prefix;
        private final KeyBoundCodec<T> codec;
        private CacheOptions options = CacheOptions.defaults();
        private final List<CacheListener<T>> listeners = new ArrayList<>();

        private Builder(EtcdClient client, String prefix, KeyBoundCodec<T> codec) {
            this.client = Objects.requireNonNull(client, "client");
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /**
         * Sets the options (default {@link CacheOptions#defaults()}).
         *
         * @param options the options
         * @return this builder
         * @throws NullPointerException when {@code options} is null
         */
        public Builder<T> options(CacheOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Adds a listener that hears everything from the first snapshot on, including
         * {@link CacheListener#onReady} (which a listener added after opening can miss). Repeatable.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException when {@code listener} is null
         */
        public Builder<T> listener(CacheListener<T> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the view, then starts its snapshot-then-watch subscription. Returns at once; the view is empty
         * and not {@linkplain CachedView#isConnected() connected} until the first snapshot is loaded.
         *
         * @return the started view
         */
        public CachedView<T> open() {
            return new CachedView<>(client, Bytes.of(prefix), codec, options, k -> true, List.copyOf(listeners),
                    "cached view of prefix '" + prefix + "'", CachedView::servingOfAView).start();
        }
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /**
     * The decoded value of {@code key}, empty when absent, skipped as malformed, or not yet loaded. Lock-free.
     *
     * @param key the key
     * @return the decoded value of {@code key}, empty when absent, skipped as malformed, or not yet loaded
     */
    public Optional<T> get(String key) {
        return state.get(key);
    }

    /**
     * The entry of {@code key} with its revisions (for {@link #compareAndSet}); empty when absent. Lock-free.
     *
     * @param key the key
     * @return the entry of {@code key} with its revisions (for {@link #compareAndSet}); empty when absent
     */
    public Optional<CachedEntry<T>> entry(String key) {
        return state.entry(key);
    }

    /**
     * Every decoded value by key, as of one revision; unmodifiable. Lock-free.
     *
     * @return every decoded value by key, as of one revision; unmodifiable
     */
    public Map<String, T> asMap() {
        return state.asMap();
    }

    /**
     * Every decoded value, in no particular order, as of one revision; unmodifiable.
     *
     * @return every decoded value, in no particular order, as of one revision; unmodifiable
     */
    public List<T> list() {
        return List.copyOf(state.asMap().values());
    }

    /**
     * The number of keys in the view.
     *
     * @return the number of keys in the view
     */
    public int size() {
        return state.size();
    }

    /**
     * The current state as one immutable snapshot with the revision it reflects. Lock-free.
     *
     * @return the current state as one immutable snapshot with the revision it reflects
     */
    public CacheSnapshot<T> snapshot() {
        return state;
    }

    /**
     * The revision the view reflects: every change under the prefix up to it has been applied. 0 before the first
     * snapshot. It advances with the changes under the prefix, so a write elsewhere need not advance it.
     *
     * @return the revision the view reflects: every change under the prefix up to it has been applied
     */
    public long revision() {
        return state.revision();
    }

    /**
     * Whether the first snapshot is loaded.
     *
     * @return whether the first snapshot is loaded
     */
    public boolean isReady() {
        return readyFlag;
    }

    /**
     * Whether the view is following etcd: false until the first snapshot is loaded, and from a disconnect of the
     * watch until it resumes (the view may then be stale).
     *
     * @return true when loaded and connected
     */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Whether the view has stopped following etcd: {@link #close()} was called, or the subscription ended for good
     * (the client was closed, or the server refused it; {@link #awaitReady} and {@link #awaitRevision} then throw
     * the reason). The last state stays readable but no longer changes.
     *
     * @return whether the view has stopped following etcd: {@link #close()} was called, or the subscription ended for good (the client was closed, or the server refused it; {@link #awaitReady} and {@link #awaitRevision} then throw the reason)
     */
    public boolean isClosed() {
        return closed.get() || ended != null;
    }

    // ---- waiting ----------------------------------------------------------------------------------------

    /**
     * Waits up to {@code timeout} for the first snapshot. Returns true when loaded, false on timeout.
     *
     * @param timeout how long to wait at most
     * @return {@code true} when the first snapshot is applied, {@code false} on time-out
     * @throws EtcdException the reason when the subscription ended before the snapshot was loaded
     * @throws InterruptedException when interrupted
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return await(() -> readyFlag, timeout);
    }

    /**
     * Waits up to {@code timeout} until the view reflects {@code revision} (for example the revision returned by
     * a write under the prefix), so a writer reads its own writes. Returns true when reached, false on timeout.
     * When it returns true, the listeners have also been called for every change up to {@code revision}.
     *
     * @param revision the revision
     * @param timeout how long to wait at most
     * @return {@code true} when the view reflects {@code revision}, {@code false} on time-out
     * @throws EtcdException the reason when the subscription ended before the revision was reached
     * @throws InterruptedException when interrupted
     */
    public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
        return await(() -> readyFlag && delivered >= revision, timeout);
    }

    /**
     * Async twin of {@link #awaitReady}: a future completed when the first snapshot is applied (and its listeners
     * called), by the view's own event delivery, so no thread waits. It completes at once when already ready.
     * It fails with the reason (an {@link EtcdException}) when the subscription ends for good first, and with
     * {@link CacheClosedException} when the view is closed first. It has no time-out of its own: add one with
     * {@link CompletableFuture#orTimeout}.
     *
     * @return a future completed when the view is ready
     */
    public CompletableFuture<Void> readyAsync() {
        return awaitRevisionAsync(0);
    }

    /**
     * Async twin of {@link #awaitRevision}: a future completed once the view reflects {@code revision} and the
     * listeners have been called for every change up to it, by the view's own event delivery (the thread that
     * calls the listeners), so no thread waits. It completes at once when already reached. It fails with the
     * reason (an {@link EtcdException}) when the subscription ends for good first, and with
     * {@link CacheClosedException} when the view is closed first. It has no time-out of its own: add one with
     * {@link CompletableFuture#orTimeout}; a timed-out or cancelled future is forgotten by the view.
     *
     * @param revision the revision
     * @return a future completed when the view reflects {@code revision}
     */
    public CompletableFuture<Void> awaitRevisionAsync(long revision) {
        if (readyFlag && delivered >= revision) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = revisionWaiters.add(revision);
        // Re-check after adding: an event, an end or a close may have passed before the waiter was visible.
        if (readyFlag && delivered >= revision) {
            f.complete(null);
        } else if (ended != null) {
            f.completeExceptionally(ended);
        } else if (closed.get()) {
            f.completeExceptionally(closedBeforeReached());
        }
        return f;
    }

    private CacheClosedException closedBeforeReached() {
        return new CacheClosedException(label + " was closed before the awaited revision reached it"
                + (readyFlag ? " (it had reached revision " + delivered + ")" : " (it was not ready yet)")
                + "; open a new cache if the data is still needed");
    }

    private boolean await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (done.getAsBoolean()) {
            return true;
        }
        long remaining = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!done.getAsBoolean()) {
                EtcdException end = ended;
                if (end != null) {
                    throw end;
                }
                if (closed.get()) {
                    return false;
                }
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- listeners --------------------------------------------------------------------------------------

    /**
     * Adds a listener for changes from now on (see {@link CacheListener}).
     *
     * @param listener the listener to call
     */
    public void addListener(CacheListener<T> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener; no effect if it was not added.
     *
     * @param listener the listener to call
     */
    public void removeListener(CacheListener<T> listener) {
        listeners.remove(listener);
    }

    // ---- writes -----------------------------------------------------------------------------------------

    /**
     * Writes {@code value} at {@code key} only if the key's mod revision is still {@code expectedModRevision}
     * (take it from {@link #entry(String)}; 0 means "only if the key does not exist"), in one etcd transaction.
     * Returns the revision of the write, or empty when the key changed meanwhile (re-read and retry). The view
     * shows the write once {@link #awaitRevision} of the returned revision returns true.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @param value the value
     * @return the revision of the write, or empty when the key changed meanwhile
     * @throws InvalidArgumentException when {@code key} is not under the prefix or the codec cannot encode
     * @throws EtcdException when the transaction fails (an {@link io.etcdkit.OutcomeUnknownException} when it may
     *         have been applied)
     */
    public OptionalLong compareAndSet(String key, long expectedModRevision, T value) {
        try {
            return compareAndSetAsync(key, expectedModRevision, value).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e;
            while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
                c = c.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Asynchronous form of {@link #compareAndSet(String, long, Object)}.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @param value the value
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<OptionalLong> compareAndSetAsync(String key, long expectedModRevision, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Bytes k = Bytes.of(key);
        if (!k.startsWith(prefix) || !keyFilter.test(k)) {
            throw new InvalidArgumentException("key '" + key + "' is not part of this view (prefix '"
                    + prefix.toStringUtf8() + "')");
        }
        if (expectedModRevision < 0) {
            throw new InvalidArgumentException("expectedModRevision must be 0 (absent) or positive, got "
                    + expectedModRevision);
        }
        Bytes encoded = codec.encode(k, value);
        return client.kv().commitAsync(Transaction.when(Compare.modRevision(k).equalTo(expectedModRevision))
                        .then(Put.of(k, encoded)))
                .thenApply((TxnResult r) -> r.succeeded() ? OptionalLong.of(r.revision()) : OptionalLong.empty());
    }

    /** Stops the subscription. Idempotent. The last state stays readable; waiters return false. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Watcher s = subscription;
        if (s != null) {
            s.close();
        }
        updateConnected();
        signal();
        revisionWaiters.fail(closedBeforeReached());
        client.listener().cacheClosed(name);
    }

    // ---- fed by ViewFeed (one call at a time, from the subscription) ----------------------------------

    void publish(CacheSnapshot<T> snapshot) {
        state = snapshot;
    }

    /** Every listener call up to {@code revision} has been made: wake the waiters. */
    void delivered(long revision) {
        readyFlag = true;
        delivered = revision;
        updateConnected();
        signal();
        revisionWaiters.delivered(revision);
    }

    /**
     * The watch stream or a read broke ({@code false}) or resumed ({@code true}). Logs one WARN when an outage
     * starts and one INFO when it ends, however many retries it takes (the subscription reports each once).
     */
    void streamUp(boolean now, EtcdException cause) {
        streamUp = now;
        if (!now && outageSince == 0) {
            outageSince = Math.max(1, System.nanoTime());
            LOG.warn("{} cannot reach etcd at {}: {}; serving {} meanwhile and retrying by itself (an INFO line "
                    + "follows when it is back)", label, client.endpoints(), cause == null ? "stream broke"
                    : cause.getMessage(), serving.apply(readyFlag ? state : null));
        } else if (now && outageSince != 0) {
            long ms = (System.nanoTime() - outageSince) / 1_000_000;
            outageSince = 0;
            LOG.info("{} reached etcd at {} again after {} ms; nothing was missed", label, client.endpoints(), ms);
        }
        updateConnected();
    }

    /** What a view serves while it cannot reach etcd ({@code state} null: not loaded yet), for the WARN. */
    private static String servingOfAView(CacheSnapshot<?> state) {
        return state == null ? "an empty view until its first snapshot loads"
                : "its last state (" + state.size() + " keys at revision " + state.revision() + ")";
    }

    /** Recomputes {@link #connected} and reports a change. Called by the feed (one call at a time) and close(). */
    private void updateConnected() {
        boolean now = readyFlag && streamUp && !closed.get();
        boolean was;
        lock.lock();
        try {
            was = connected;
            connected = now;
        } finally {
            lock.unlock();
        }
        if (was != now) {
            client.listener().cacheConnectionChanged(name, now);
        }
    }

    /** The subscription ended for good: waiters get {@code cause}. */
    void ended(EtcdException cause) {
        LOG.warn("cached view of '{}' ended: {}", prefix.toStringUtf8(), cause.getMessage());
        ended = cause;
        signal();
        revisionWaiters.fail(cause);
    }


    String prefix() {
        return name;
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void notifyListeners(Consumer<CacheListener<T>> call) {
        for (CacheListener<T> l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a cache listener of '{}' failed", prefix.toStringUtf8(), e);
            }
        }
    }
}
