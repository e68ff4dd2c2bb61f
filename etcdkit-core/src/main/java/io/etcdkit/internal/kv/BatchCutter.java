package io.etcdkit.internal.kv;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Cuts a stream of entries into batches of puts of at most {@code batchSize} entries and {@code batchBytes}
 * encoded bytes (an entry too large on its own still goes alone; etcd then says why). Not thread-safe.
 */
final class BatchCutter {
    private final Iterator<? extends Map.Entry<Bytes, Bytes>> entries;
    private final int batchSize;
    private final long batchBytes;
    private Map.Entry<Bytes, Bytes> carried; // read but did not fit into the previous batch

    BatchCutter(Iterator<? extends Map.Entry<Bytes, Bytes>> entries, int batchSize, long batchBytes) {
        this.entries = entries;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
    }

    boolean hasNext() {
        return carried != null || entries.hasNext();
    }

    /** The next batch; call only when {@link #hasNext()}. */
    List<Op> next() {
        List<Op> batch = new ArrayList<>(Math.min(batchSize, 1024));
        long bytes = 0;
        while (batch.size() < batchSize && hasNext()) {
            Map.Entry<Bytes, Bytes> e = carried != null ? carried : entries.next();
            carried = null;
            long size = ChunkedBulkLoader.putBytes(e);
            if (!batch.isEmpty() && bytes + size > batchBytes) {
                carried = e;
                break;
            }
            bytes += size;
            batch.add(Put.of(e.getKey(), e.getValue()));
        }
        return batch;
    }
}
