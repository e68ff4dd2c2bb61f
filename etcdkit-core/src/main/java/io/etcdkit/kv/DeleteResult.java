package io.etcdkit.kv;

import io.etcdkit.KeyValue;
import java.util.List;

/**
 * The result of a {@link Delete}.
 *
 * @param revision the store's revision after the delete
 * @param deleted how many keys were deleted
 * @param previous the deleted key-values when {@link Delete#withPreviousValues()} was asked
 */
public record DeleteResult(long revision, long deleted, List<KeyValue> previous) implements OpResult {
    /**
     * Copies the list.
     *
     * @param revision the revision
     * @param deleted the deleted
     * @param previous the previous value
     */
    public DeleteResult {
        previous = List.copyOf(previous);
    }
}
