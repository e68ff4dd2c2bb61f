package io.etcdkit.kv;

import io.etcdkit.Bytes;
import java.util.Iterator;
import java.util.Map;

/**
 * Loads many keys fast and without atomicity: entries are grouped into transactions of a fixed size, with a
 * bounded number outstanding so memory stays bounded however many entries are given.
 *
 * <p>Each batch is atomic on its own; the load as a whole is not. When a batch fails the load stops, no later
 * batch is sent, and {@link BulkLoadException} reports how many entries were surely written and whether the
 * failed batch's outcome is unknown. Loading the same entries again is safe (puts are idempotent in value).
 * Not thread-safe: one load at a time per loader.
 */
public interface BulkLoader {
    /**
     * Writes every entry; returns the number written. Blocks until all batches are acknowledged.
     *
     * @param entries the entries
     * @return the number of entries written
     */
    long load(Iterator<? extends Map.Entry<Bytes, Bytes>> entries);

    /**
     * Writes every entry of the map.
     *
     * @param entries the entries
     * @return the number of entries written
     */
    default long load(Map<Bytes, Bytes> entries) {
        return load(entries.entrySet().iterator());
    }
}
