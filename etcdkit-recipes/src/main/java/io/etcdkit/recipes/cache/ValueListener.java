package io.etcdkit.recipes.cache;

import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;

/**
 * Receives the changes of a {@link CachedValue}. Calls arrive one at a time on the client's callback executor,
 * after {@link CachedValue#get()} already returns the new value. An exception thrown here is logged and ignored.
 *
 * @param <T> the value type
 */
public interface ValueListener<T> {
    /**
     * The effective value changed (by {@code equals}): a put, a delete (back to the default), a malformed value
     * replacing a good one under {@link DecodeFailurePolicy#SKIP} (back to the default), or a re-sync. The first
     * load counts as a change from the default when it differs (a listener added before it is loaded sees it). Not
     * called for writes that leave the effective value equal.
     *
     * @param value the new effective value (the default when the key is absent or skipped)
     * @param revision the revision of the change
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
}
