package io.etcdkit.kv;

import io.etcdkit.Bytes;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
     * Writes every entry; returns the number written. Blocks until all batches are acknowledged. An exception
     * thrown by {@code entries} is thrown as it is, once the batches already sent have ended (nothing is written
     * after this method returns or throws, except after an interrupt, which it reports as such).
     *
     * @param entries the entries
     * @return the number of entries written
     * @throws BulkLoadException if a batch failed: how many entries were written, and whether the failed batch
     *     may have been applied
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

    /**
     * Async twin of {@link #load(Iterator)}: the same batches and the same bound on batches in flight, but
     * instead of a thread waiting for a free slot, each acknowledged batch sends the next one. The first batches
     * are read from {@code entries} and sent on the calling thread, later ones on the client's callback
     * executor, so {@code entries} must not block; the future completes on the callback executor (at once when
     * there are no entries). A failed batch stops the load as in the blocking form and fails the future with
     * {@link BulkLoadException}, once the batches already in flight have ended; an exception thrown by
     * {@code entries} fails it with that exception and sends nothing more, also once the batches in flight have
     * ended: nothing is written after the future completes.
     *
     * @param entries the entries; read by one thread at a time, never concurrently
     * @return a future completed with the number of entries written
     */
    CompletableFuture<Long> loadAsync(Iterator<? extends Map.Entry<Bytes, Bytes>> entries);

    /**
     * Async twin of {@link #load(Map)}.
     *
     * @param entries the entries
     * @return a future completed with the number of entries written
     */
    default CompletableFuture<Long> loadAsync(Map<Bytes, Bytes> entries) {
        return loadAsync(entries.entrySet().iterator());
    }
}
