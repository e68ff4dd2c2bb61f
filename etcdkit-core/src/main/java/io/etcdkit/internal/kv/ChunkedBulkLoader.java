package io.etcdkit.internal.kv;

import io.etcdkit.Bytes;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.internal.Futures;
import io.etcdkit.kv.BulkLoadException;
import io.etcdkit.kv.BulkLoader;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link BulkLoader} that sends transactions of up to {@code batchSize} puts, each also kept under the server's
 * request size limit, with a bounded number in flight.
 */
final class ChunkedBulkLoader implements BulkLoader {
    /** Encoding overhead of one put inside a transaction, at most: field tags and length varints. */
    static final int PUT_OVERHEAD = 24;
    /** Room left in each request for the transaction's and etcd's own framing (its raft request header). */
    static final int REQUEST_HEADROOM = 1024;

    private final Kv kv;
    private final int batchSize;
    private final int maxInFlight;
    private final long batchBytes;

    ChunkedBulkLoader(Kv kv, int batchSize, int maxInFlight, int maxRequestBytes) {
        this.kv = kv;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.batchBytes = Math.max(1, maxRequestBytes - REQUEST_HEADROOM);
    }

    /** The encoded size of a put of this entry within a transaction, at most. */
    static long putBytes(Map.Entry<Bytes, Bytes> e) {
        return (long) e.getKey().size() + e.getValue().size() + PUT_OVERHEAD;
    }

    @Override
    public long load(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
        Semaphore permits = new Semaphore(maxInFlight);
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            Map.Entry<Bytes, Bytes> carried = null; // read but did not fit into the previous batch
            while ((carried != null || entries.hasNext()) && failure.get() == null) {
                List<Op> batch = new ArrayList<>(Math.min(batchSize, 1024));
                long bytes = 0;
                while (batch.size() < batchSize && (carried != null || entries.hasNext())) {
                    Map.Entry<Bytes, Bytes> e = carried != null ? carried : entries.next();
                    carried = null;
                    long size = putBytes(e);
                    if (!batch.isEmpty() && bytes + size > batchBytes) {
                        carried = e; // an entry too large on its own still goes alone; etcd then says why
                        break;
                    }
                    bytes += size;
                    batch.add(Put.of(e.getKey(), e.getValue()));
                }
                permits.acquire();
                if (failure.get() != null) {
                    permits.release();
                    break;
                }
                int n = batch.size();
                kv.commitAsync(Transaction.always(batch.toArray(new Op[0]))).whenComplete((r, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, Futures.unwrap(e));
                    } else {
                        written.addAndGet(n);
                    }
                    permits.release();
                });
            }
            permits.acquire(maxInFlight);
            permits.release(maxInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BulkLoadException("interrupted during a bulk load after " + written.get()
                    + " entries were written; batches in flight may still complete", written.get(), e);
        }
        Throwable f = failure.get();
        if (f != null) {
            String outcome = f instanceof OutcomeUnknownException
                    ? "the failed batch may or may not have been applied" : "the failed batch was not applied";
            throw new BulkLoadException("bulk load stopped after " + written.get() + " entries were written; "
                    + outcome + " and later entries were not sent: " + f.getMessage()
                    + ". Loading the same entries again is safe", written.get(), f);
        }
        return written.get();
    }

}
