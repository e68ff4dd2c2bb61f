package io.etcdkit.recipes.cache;

import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;

/**
 * Receives the changes of a {@link CachedView}. Every method has a no-op default; implement what you need.
 * Calls arrive one at a time, in revision order, on the client's callback executor, always <em>after</em> the view
 * has published the state they describe: the calls for the changes of one revision (say, the keys of one
 * transaction) come after the whole revision is visible, so {@code view.get(key)} inside a callback already shows
 * the change and the view's revision is the change's.
 * An exception thrown by a listener is logged and changes nothing. Do not block in a callback: it delays the view.
 *
 * @param <T> the value type
 */
public interface CacheListener<T> {
    /**
     * The first snapshot is loaded; {@code snapshot} is the view's state. Called at most once.
     *
     * @param snapshot the snapshot
     */
    default void onReady(CacheSnapshot<T> snapshot) {
    }

    /**
     * A live put: {@code key} now holds {@code value} (decoded) at {@code entry.modRevision()}.
     *
     * @param entry the entry
     */
    default void onPut(CachedEntry<T> entry) {
    }

    /**
     * A live delete of {@code key} at {@code revision}. Not called for keys that were absent from the view.
     *
     * @param key the key
     * @param revision the revision
     */
    default void onDelete(String key, long revision) {
    }

    /**
     * The view lost its place to a compaction and re-read the prefix; {@code snapshot} is the exact state now.
     * Individual puts and deletes of the re-sync are not reported one by one: diff against your own state.
     *
     * @param snapshot the snapshot
     */
    default void onReset(CacheSnapshot<T> snapshot) {
    }

    /**
     * The bytes stored at {@code raw.key()} could not be decoded. The view applied its
     * {@link DecodeFailurePolicy} and keeps working.
     *
     * @param raw the key-value as read from etcd
     * @param error the failure
     */
    default void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
    }

    /**
     * The watch stream broke; the view keeps serving its last state, which may now be stale.
     *
     * @param cause the underlying failure
     */
    default void onDisconnected(EtcdException cause) {
    }

    /** The watch is receiving again; nothing was lost in between. */
    default void onResumed() {
    }
}
