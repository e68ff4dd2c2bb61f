package io.etcdkit.watch;

import io.etcdkit.KeyValue;
import java.util.Optional;

/**
 * A key was created or changed (or, in a subscription's snapshot phase, exists).
 *
 * @param kv the key-value after the change; its {@code modRevision} is the event's revision
 * @param previous the value before the change, when previous values were asked for and the key existed
 */
public record PutEvent(KeyValue kv, Optional<KeyValue> previous) implements WatchEvent {
    /**
     * The revision of the change.
     *
     * @return the revision of the change
     */
    public long revision() {
        return kv.modRevision();
    }
}
