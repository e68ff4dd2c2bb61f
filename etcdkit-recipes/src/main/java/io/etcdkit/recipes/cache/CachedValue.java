package io.etcdkit.recipes.cache;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd key decoded into a typed value held in memory, with a default: the watch-fed configuration value.
 *
 * <ul>
 *   <li><b>missing</b> key: {@link #get()} is the default;</li>
 *   <li><b>malformed</b> value (with encryption also one that does not decrypt: wrong key, tampered, or copied
 *       from another key): reported to {@link ValueListener#onDecodeFailure}; {@link #get()} is the default
 *       ({@link DecodeFailurePolicy#SKIP}, the default policy) or the last good value
 *       ({@link DecodeFailurePolicy#KEEP_LAST_GOOD}); readers never see an exception;</li>
 *   <li><b>deleted</b>: back to the default;</li>
 *   <li><b>disconnected</b>: the last good value is served (the default if it never loaded); the watch resumes
 *       by itself from the next revision, so no change is missed; after a compaction it re-reads the key. One
 *       WARN is logged when it cannot reach etcd (naming the key, the endpoints and what it serves meanwhile) and
 *       one INFO when it is back, once per outage; listeners hear {@link ValueListener#onDisconnected} and
 *       {@link ValueListener#onReconnected}.</li>
 * </ul>
 *
 * <p>A listener given to the builder hears the initial value once, when the key is first loaded: the stored value
 * with the key's mod revision, or the default with revision 0 (see {@link ValueListener}).
 *
 * <p>The value is decoded with a {@link ValueCodec} or a {@link KeyBoundCodec}, such as
 * {@link io.etcdkit.codec.EncryptedCodec} for a secret:
 * <pre>{@code
 * CachedValue<String> password = CachedValue.open(client, "secrets/db", Codecs.encrypted(keyRing, Codecs.text()), "");
 * CachedValue<Long> limit = CachedValue.builder(client, "config/limit", Codecs.longs(), 100L)
 *         .listener((value, revision) -> apply(value))
 *         .open();
 * }</pre>
 *
 * <p>Opened like every recipe with a watch: {@link #builder} then {@link Builder#open()}, which builds the value
 * completely before the watch starts, or {@link #open(EtcdClient, String, ValueCodec, Object)} for the defaults.
 * It reports to the client's {@link io.etcdkit.observe.EtcdListener} as a cache named by its key
 * ({@code cacheOpened}, {@code cacheConnectionChanged}, {@code cacheClosed}).
 *
 * <p>It is a {@link CachedView} of the exact key (the snapshot-then-watch subscription reads and watches from
 * one pinned revision, so there is no gap between the initial read and the watch); longer keys that share the
 * prefix are ignored. {@link #get()} is lock-free. Thread-safe; {@link #close()} stops watching, after which
 * {@link #get()} keeps returning the last value.
 *
 * @param <T> the value type
 */
public final class CachedValue<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CachedValue.class);

    private final String key;
    private final T defaultValue;
    private final CachedView<T> view;
    private final List<ValueListener<T>> listeners = new CopyOnWriteArrayList<>();
    private T reported; // the last effective value announced; event thread only

    /** Builds a value that does nothing yet; {@link Builder#open()} starts it once it is fully built. */
    private CachedValue(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue,
            CacheOptions options, List<ValueListener<T>> initialListeners) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.reported = defaultValue;
        this.listeners.addAll(initialListeners);
        Bytes exact = Bytes.of(key);
        this.view = new CachedView<>(client, exact, codec, options, exact::equals, List.of(new Feed()),
                "cached value '" + key + "'", state -> state == null ? "its default value until the key loads"
                        : "the last value it read (revision " + state.revision() + ")");
    }

    /**
     * Opens a value of {@code key} with {@code defaultValue}, the {@linkplain CacheOptions#defaults() defaults} and
     * no listener; short for {@code builder(client, key, codec, defaultValue).open()}. Returns at once; until the
     * key is loaded ({@link #awaitReady}) {@link #get()} returns {@code defaultValue}.
     *
     * @param client the client to read and watch with
     * @param key the key
     * @param codec decodes the value
     * @param defaultValue the value while the key is missing, malformed or not loaded yet
     * @param <T> the value type
     * @return the started value
     * @throws NullPointerException when an argument is null
     * @throws InvalidArgumentException when the key is empty
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, ValueCodec<T> codec, T defaultValue) {
        return builder(client, key, codec, defaultValue).open();
    }

    /**
     * Opens a value of {@code key} decoded by a key-bound codec (for example client-side encryption); short for
     * {@code builder(client, key, codec, defaultValue).open()}.
     *
     * @param client the client to read and watch with
     * @param key the key
     * @param codec decodes the value, given {@code key} as this client's {@code kv()} sees it
     * @param defaultValue the value while the key is missing, malformed or not loaded yet
     * @param <T> the value type
     * @return the started value
     * @throws NullPointerException when an argument is null
     * @throws InvalidArgumentException when the key is empty
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue) {
        return builder(client, key, codec, defaultValue).open();
    }

    /**
     * A builder of a value of {@code key}; set options and listeners, then {@link Builder#open()}.
     *
     * @param client the client to read and watch with
     * @param key the key
     * @param codec decodes the value
     * @param defaultValue the value while the key is missing, malformed or not loaded yet
     * @param <T> the value type
     * @return a new builder
     * @throws NullPointerException when an argument is null
     * @throws InvalidArgumentException when the key is empty
     */
    public static <T> Builder<T> builder(EtcdClient client, String key, ValueCodec<T> codec, T defaultValue) {
        return new Builder<>(client, key, KeyBoundCodec.ignoringKey(Objects.requireNonNull(codec, "codec")),
                defaultValue);
    }

    /**
     * A builder of a value of {@code key} decoded by a key-bound codec (for example client-side encryption): the
     * codec is given {@code key} as this client's {@code kv()} sees it (relative to a namespaced client's
     * namespace), in both directions.
     *
     * @param client the client to read and watch with
     * @param key the key
     * @param codec decodes the value, given its key
     * @param defaultValue the value while the key is missing, malformed or not loaded yet
     * @param <T> the value type
     * @return a new builder
     * @throws NullPointerException when an argument is null
     * @throws InvalidArgumentException when the key is empty
     */
    public static <T> Builder<T> builder(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue) {
        return new Builder<>(client, key, codec, defaultValue);
    }

    /**
     * Collects a cached value's settings; {@link #open()} builds it and only then starts its watch. Not
     * thread-safe; each {@code open()} opens a new value.
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final EtcdClient client;
        private final String key;
        private final KeyBoundCodec<T> codec;
        private final T defaultValue;
        private CacheOptions options = CacheOptions.defaults();
        private final List<ValueListener<T>> listeners = new ArrayList<>();

        private Builder(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue) {
            this.client = Objects.requireNonNull(client, "client");
            this.key = Objects.requireNonNull(key, "key");
            this.codec = Objects.requireNonNull(codec, "codec");
            this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
            if (key.isEmpty()) {
                throw new InvalidArgumentException("the key of a cached value must not be empty");
            }
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
         * Adds a listener that hears the initial load too ({@link CachedValue#addListener} after opening may miss
         * it). Repeatable.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException when {@code listener} is null
         */
        public Builder<T> listener(ValueListener<T> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the value, then starts its watch. Returns at once; until the key is loaded
         * ({@link CachedValue#awaitReady}) {@link CachedValue#get()} returns the default.
         *
         * @return the started value
         */
        public CachedValue<T> open() {
            CachedValue<T> value = new CachedValue<>(client, key, codec, defaultValue, options, List.copyOf(listeners));
            value.view.start();
            return value;
        }
    }

    /**
     * The current value, or the default when the key is missing, skipped as malformed, or not loaded yet.
     *
     * @return the current value, or the default when the key is missing, skipped as malformed, or not loaded yet
     */
    public T get() {
        return view.get(key).orElse(defaultValue);
    }

    /**
     * The stored value with its revisions, empty when the default applies.
     *
     * @return the stored value with its revisions, empty when the default applies
     */
    public Optional<CachedEntry<T>> entry() {
        return view.entry(key);
    }

    /**
     * The default value.
     *
     * @return the default value
     */
    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The key.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * The revision {@link #get()} reflects (0 before the first read).
     *
     * @return the revision {@link #get()} reflects (0 before the first read)
     */
    public long revision() {
        return view.revision();
    }

    /**
     * Whether the value is following etcd: false until the key is first loaded, and from a disconnect of the
     * watch until it resumes ({@link #get()} may then be stale).
     *
     * @return true when loaded and connected
     */
    public boolean isConnected() {
        return view.isConnected();
    }

    /**
     * Waits up to {@code timeout} for the first read; see {@link CachedView#awaitReady}.
     *
     * @param timeout how long to wait at most
     * @return {@code true} when the first read is done, {@code false} on time-out
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return view.awaitReady(timeout);
    }

    /**
     * Async twin of {@link #awaitReady}: a future completed when the key is first loaded; see
     * {@link CachedView#readyAsync()} (how it completes and fails, {@link CacheClosedException} on close).
     *
     * @return a future completed when the value is loaded
     */
    public java.util.concurrent.CompletableFuture<Void> readyAsync() {
        return view.readyAsync();
    }

    /**
     * Async twin of {@link #awaitRevision}: a future completed once the value reflects {@code revision}; see
     * {@link CachedView#awaitRevisionAsync(long)}.
     *
     * @param revision the revision
     * @return a future completed when the value reflects {@code revision}
     */
    public java.util.concurrent.CompletableFuture<Void> awaitRevisionAsync(long revision) {
        return view.awaitRevisionAsync(revision);
    }

    /**
     * Waits up to {@code timeout} until the value reflects {@code revision}; see {@link CachedView#awaitRevision}.
     *
     * @param revision the revision
     * @param timeout how long to wait at most
     * @return {@code true} when the value reflects {@code revision}, {@code false} on time-out
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
        return view.awaitRevision(revision, timeout);
    }

    /**
     * Writes {@code value} only if the key's mod revision is still {@code expectedModRevision} (0: only if absent);
     * see {@link CachedView#compareAndSet}. Returns the revision of the write, or empty when the key changed.
     *
     * @param expectedModRevision the expected mod revision
     * @param value the value
     * @return the revision of the write, or empty when the key changed meanwhile
     */
    public OptionalLong compareAndSet(long expectedModRevision, T value) {
        return view.compareAndSet(key, expectedModRevision, value);
    }

    /**
     * Asynchronous form of {@link #compareAndSet(long, Object)}.
     *
     * @param expectedModRevision the key's mod revision the write depends on (0: only if absent)
     * @param value the new value
     * @return the revision of the write, or empty when the key changed
     */
    public java.util.concurrent.CompletableFuture<OptionalLong> compareAndSetAsync(long expectedModRevision,
            T value) {
        return view.compareAndSetAsync(key, expectedModRevision, value);
    }

    /**
     * Adds a listener for changes from now on; it may miss the initial load (use the {@code open} overload that
     * takes a listener to hear it).
     *
     * @param listener the listener to call
     */
    public void addListener(ValueListener<T> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener to call
     */
    public void removeListener(ValueListener<T> listener) {
        listeners.remove(listener);
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        view.close();
    }

    /** Announces {@code now} if it differs from the last value announced. */
    private void check(T now, long revision) {
        if (!Objects.equals(now, reported)) {
            announce(now, revision);
        }
    }

    private void announce(T now, long revision) {
        reported = now;
        tell(l -> l.onChange(now, revision));
    }

    private void tell(Consumer<ValueListener<T>> call) {
        for (ValueListener<T> l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a listener of cached value '{}' failed", key, e);
            }
        }
    }

    private final class Feed implements CacheListener<T> {
        @Override
        public void onReady(CacheSnapshot<T> snapshot) {
            Optional<CachedEntry<T>> entry = snapshot.entry(key); // always announced, the default included
            announce(entry.map(CachedEntry::value).orElse(defaultValue),
                    entry.map(CachedEntry::modRevision).orElse(0L));
        }

        @Override
        public void onPut(CachedEntry<T> entry) {
            check(entry.value(), entry.modRevision()); // the view holds only this key
        }

        @Override
        public void onDelete(String deleted, long revision) {
            check(defaultValue, revision);
        }

        @Override
        public void onReset(CacheSnapshot<T> snapshot) {
            Optional<CachedEntry<T>> entry = snapshot.entry(key);
            check(entry.map(CachedEntry::value).orElse(defaultValue),
                    entry.map(CachedEntry::modRevision).orElse(snapshot.revision()));
        }

        @Override
        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
            tell(l -> l.onDecodeFailure(raw, error));
        }

        @Override
        public void onDisconnected(EtcdException cause) {
            tell(l -> l.onDisconnected(cause));
        }

        @Override
        public void onResumed() {
            tell(ValueListener::onReconnected);
        }
    }
}
