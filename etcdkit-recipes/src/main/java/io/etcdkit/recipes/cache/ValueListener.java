package io.etcdkit.recipes.cache;

import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;

/**
 * Receives the changes of a {@link CachedValue}. Calls arrive one at a time on the client's callback executor,
 * after {@link CachedValue#get()} already returns the new value. An exception thrown here is logged and ignored.
 * Only {@link #onChange} must be implemented (a lambda will do); the other methods do nothing by default.
 *
 * <p>What a listener given to {@link CachedValue.Builder#listener} hears, in order:
 * <ol>
 *   <li>once, when the key is first loaded: {@code onChange(initial, modRevision)}, where {@code initial} is the
 *       stored value, or the default when the key is missing (or skipped as malformed), and {@code modRevision}
 *       is the key's mod revision, or 0 when the default applies. Always called, even when the initial value
 *       equals the default;</li>
 *   <li>then {@code onChange} for each change of the effective value (by {@code equals});</li>
 *   <li>{@link #onDisconnected} once when the value cannot reach etcd (the first read failed, or the watch broke)
 *       and {@link #onReconnected} once when it follows etcd again; nothing is lost in between.</li>
 * </ol>
 * A listener added with {@link CachedValue#addListener} after the first load misses the initial call.
 *
 * @param <T> the value type
 */
public interface ValueListener<T> {
    /**
     * The initial value (see above), or a change of the effective value (by {@code equals}): a put, a delete (back
     * to the default), a malformed value replacing a good one under {@link DecodeFailurePolicy#SKIP} (back to the
     * default), or a re-sync after compaction. Not called for writes that leave the effective value equal.
     *
     * @param value the new effective value (the default when the key is absent or skipped)
     * @param revision the key's mod revision for the initial value and for a put (0 for an initial default);
     *        the delete's revision for a delete; the re-sync's revision when a re-sync found the key gone
     */
    void onChange(T value, long revision);

    /**
     * The stored bytes could not be decoded; the value fell back per the {@link DecodeFailurePolicy}.
     *
     * @param raw the key-value as read from etcd
     * @param error the failure
     */
    default void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
    }

    /**
     * The value cannot reach etcd: its first read failed (within the client's connect timeout when no member
     * answers) or its watch broke. It keeps serving what it had (the default before the first load) and retries
     * by itself. Called once per outage, not per retry.
     *
     * @param cause the underlying failure
     */
    default void onDisconnected(EtcdException cause) {
    }

    /**
     * The value follows etcd again after {@link #onDisconnected}; no change was lost in between (changes made
     * during the outage follow as {@link #onChange} calls). Called once per outage.
     */
    default void onReconnected() {
    }
}
