package io.etcdkit.watch;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import java.util.Optional;

/**
 * A key was created or changed (or, in a subscription's snapshot phase, exists).
 *
 * @param kv the key-value after the change; its {@code modRevision} is the event's revision
 * @param previous the value before the change, when previous values were asked for and the key existed
 */
public record PutEvent(KeyValue kv, Optional<KeyValue> previous) implements KeyEvent {
    /**
     * The revision of the change: the key-value's {@code modRevision}.
     *
     * @return the revision of the change
     */
    @Override
    public long revision() {
        return kv.modRevision();
    }

    /** The key that changed, as in {@link #kv()}. */
    @Override
    public Bytes key() {
        return kv.key();
    }

    /**
     * The value after the change.
     *
     * @return the value
     */
    public Bytes value() {
        return kv.value();
    }

    /**
     * The value after the change as UTF-8 text.
     *
     * @return the value's text
     */
    public String valueAsString() {
        return kv.valueAsString();
    }
}
