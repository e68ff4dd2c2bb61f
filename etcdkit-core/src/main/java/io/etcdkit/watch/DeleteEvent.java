package io.etcdkit.watch;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import java.util.Optional;

/**
 * A key was deleted (by a delete, or by the expiry or revocation of its lease).
 *
 * @param key the deleted key
 * @param revision the revision of the delete
 * @param previous the last value, when previous values were asked for
 */
public record DeleteEvent(Bytes key, long revision, Optional<KeyValue> previous) implements KeyEvent {
}
