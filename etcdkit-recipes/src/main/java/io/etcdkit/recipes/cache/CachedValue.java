package io.etcdkit.recipes.cache;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
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
 *   <li><b>disconnected</b>: the last good value is served; the watch resumes by itself from the next revision,
 *       so no change is missed; after a compaction it re-reads the key.</li>
 * </ul>
 *
 * <p>The value is decoded with a {@link ValueCodec} or a {@link KeyBoundCodec}, such as
 * {@link io.etcdkit.codec.EncryptedCodec} for a secret:
 * <pre>{@code
 * CachedValue<String> password = CachedValue.open(client, "secrets/db", Codecs.encrypted(keyRing, Codecs.text()), "");
 * }</pre>
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

    private CachedValue(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue,
            CacheOptions options, ValueListener<T> listener) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.reported = defaultValue;
        if (listener != null) {
            listeners.add(listener);
        }
        Bytes exact = Bytes.of(key);
        this.view = new CachedView<>(client, exact, codec, options, exact::equals, new Feed());
    }

    /**
     * Opens a value of {@code key} with {@code defaultValue} and the {@linkplain CacheOptions#defaults() defaults}.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @return a {@code CachedValue} that opens a value of {@code key} with {@code defaultValue} and the {@linkplain CacheOptions#defaults() defaults}
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, ValueCodec<T> codec, T defaultValue) {
        return open(client, key, codec, defaultValue, CacheOptions.defaults());
    }

    /**
     * Opens a value of {@code key}. Returns at once; until the key is loaded ({@link #awaitReady}) {@link #get()}
     * returns {@code defaultValue}.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @param options the options
     * @return a {@code CachedValue} that opens a value of {@code key}
     * @throws InvalidArgumentException when an argument is null or the key is empty
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, ValueCodec<T> codec, T defaultValue,
            CacheOptions options) {
        return open(client, key, CachedView.keyBound(codec), defaultValue, options);
    }

    /**
     * Opens a value of {@code key} decoded by a key-bound codec (for example client-side encryption), with
     * {@code defaultValue} and the {@linkplain CacheOptions#defaults() defaults}.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @return a {@code CachedValue} that opens a value of {@code key} decoded by a key-bound codec (for example client-side encryption), with {@code defaultValue} and the {@linkplain CacheOptions#defaults() defaults}
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue) {
        return open(client, key, codec, defaultValue, CacheOptions.defaults());
    }

    /**
     * Opens a value of {@code key} decoded by a key-bound codec (for example client-side encryption): the codec is
     * given {@code key} as this client's {@code kv()} sees it (relative to a namespaced client's namespace), in
     * both directions. Otherwise as {@link #open(EtcdClient, String, ValueCodec, Object, CacheOptions)}.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @param options the options
     * @return a {@code CachedValue} that opens a value of {@code key} decoded by a key-bound codec (for example client-side encryption): the codec is given {@code key} as this client's {@code kv()} sees it (relative to a namespaced client's namespace), in both directions
     * @throws InvalidArgumentException when an argument is null or the key is empty
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue,
            CacheOptions options) {
        checkArguments(client, key, codec, defaultValue, options);
        return new CachedValue<>(client, key, codec, defaultValue, options, null);
    }

    /**
     * {@link #open(EtcdClient, String, KeyBoundCodec, Object, CacheOptions)} with {@code listener} attached before
     * the first read, so it hears the initial load too ({@link #addListener} after opening may miss it).
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @param options the options
     * @param listener the listener to call
     * @return as {@link #open(EtcdClient, String, KeyBoundCodec, Object, CacheOptions)}
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, KeyBoundCodec<T> codec, T defaultValue,
            CacheOptions options, ValueListener<T> listener) {
        if (listener == null) {
            throw new InvalidArgumentException("listener must not be null");
        }
        checkArguments(client, key, codec, defaultValue, options);
        return new CachedValue<>(client, key, codec, defaultValue, options, listener);
    }

    /**
     * {@link #open(EtcdClient, String, KeyBoundCodec, Object, CacheOptions, ValueListener)} for a plain codec.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param key the key
     * @param codec the codec of the values
     * @param defaultValue the default value
     * @param options the options
     * @param listener the listener to call
     * @return as {@link #open(EtcdClient, String, KeyBoundCodec, Object, CacheOptions, ValueListener)}
     */
    public static <T> CachedValue<T> open(EtcdClient client, String key, ValueCodec<T> codec, T defaultValue,
            CacheOptions options, ValueListener<T> listener) {
        return open(client, key, CachedView.keyBound(codec), defaultValue, options, listener);
    }

    private static void checkArguments(EtcdClient client, String key, Object codec, Object defaultValue,
            CacheOptions options) {
        if (client == null || key == null || codec == null || defaultValue == null || options == null) {
            throw new InvalidArgumentException("client, key, codec, defaultValue and options must not be null");
        }
        if (key.isEmpty()) {
            throw new InvalidArgumentException("the key of a cached value must not be empty");
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
     * False from a disconnect of the watch until it resumes: {@link #get()} may then be stale.
     *
     * @return {@code false} from a disconnect of the watch until it resumes
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

    /**
     * Announces {@code now} if it differs from the last value announced. Takes the value from the event, never
     * from {@link #view}: the first events can arrive before the constructor has assigned it.
     */
    private void check(T now, long revision) {
        if (!Objects.equals(now, reported)) {
            reported = now;
            for (ValueListener<T> l : listeners) {
                try {
                    l.onChange(now, revision);
                } catch (RuntimeException e) {
                    LOG.warn("a listener of cached value '{}' failed", key, e);
                }
            }
        }
    }

    private final class Feed implements CacheListener<T> {
        @Override
        public void onReady(CacheSnapshot<T> snapshot) {
            check(snapshot.get(key).orElse(defaultValue), snapshot.revision());
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
            check(snapshot.get(key).orElse(defaultValue), snapshot.revision());
        }

        @Override
        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
            for (ValueListener<T> l : listeners) {
                try {
                    l.onDecodeFailure(raw, error);
                } catch (RuntimeException e) {
                    LOG.warn("a listener of cached value '{}' failed", key, e);
                }
            }
        }
    }
}
