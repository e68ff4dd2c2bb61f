package io.etcdkit.kv;

import io.etcdkit.KeyValue;
import java.util.List;
import java.util.Optional;

/**
 * The result of a {@link Range} read.
 *
 * @param kvs the keys read (empty for count-only reads), in the requested order
 * @param count the number of keys in the range (not limited by the limit)
 * @param more whether the limit cut the result short
 * @param revision the store's revision the read saw
 */
public record RangeResult(List<KeyValue> kvs, long count, boolean more, long revision) implements OpResult {
    /**
     * Copies the list.
     *
     * @param kvs the kvs
     * @param count the count
     * @param more the more
     * @param revision the revision
     */
    public RangeResult {
        kvs = List.copyOf(kvs);
    }

    /**
     * The first key read, if any.
     *
     * @return the first key read, if any
     */
    public Optional<KeyValue> first() {
        return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
    }
}
