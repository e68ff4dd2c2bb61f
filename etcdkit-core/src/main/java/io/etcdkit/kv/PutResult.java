package io.etcdkit.kv;

import io.etcdkit.KeyValue;
import java.util.Optional;

/**
 * The result of a {@link Put}.
 *
 * @param revision the revision of the write
 * @param previous the key's previous value when {@link Put#withPreviousValue()} was asked and the key existed
 */
public record PutResult(long revision, Optional<KeyValue> previous) implements OpResult {
}
