package io.etcdkit.watch;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import java.util.Optional;

/**
 * A change to one key: a {@link PutEvent} or a {@link DeleteEvent}. Both answer the same questions — which key,
 * at which revision, and what it held before — so code that only needs those can handle either alike.
 */
public sealed interface KeyEvent extends WatchEvent permits PutEvent, DeleteEvent {
    /**
     * The key that changed (without the client's namespace).
     *
     * @return the key
     */
    Bytes key();

    /**
     * The key as UTF-8 text.
     *
     * @return the key's text
     */
    default String keyAsString() {
        return key().toStringUtf8();
    }

    /**
     * The revision of the change.
     *
     * @return the revision
     */
    long revision();

    /**
     * What the key held before the change, when previous values were asked for and the key existed.
     *
     * @return the previous key-value, or empty
     */
    Optional<KeyValue> previous();
}
