package io.etcdkit.internal.kv;

import io.etcdkit.Bytes;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.internal.Futures;
import io.etcdkit.kv.BulkLoadException;
import io.etcdkit.kv.BulkLoader;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Transaction;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        BatchCutter batches = new BatchCutter(entries, batchSize, batchBytes);
        try {
            while (failure.get() == null) {
                List<Op> batch;
                try {
                    if (!batches.hasNext()) {
                        break;
                    }
                    batch = batches.next();
                } catch (RuntimeException sourceFailed) {
                    // the caller's iterator failed: report it as it is, once nothing sent is in flight any more
                    permits.acquire(maxInFlight);
                    permits.release(maxInFlight);
                    throw sourceFailed;
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
            throw stopped(written.get(), f);
        }
        return written.get();
    }

    @Override
    public CompletableFuture<Long> loadAsync(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
        return new AsyncBulkLoad(kv, new BatchCutter(entries, batchSize, batchBytes), maxInFlight).start();
    }

    /** The failure of a load that stopped at a failed batch after {@code written} entries. */
    static BulkLoadException stopped(long written, Throwable f) {
        String outcome = f instanceof OutcomeUnknownException
                ? "the failed batch may or may not have been applied" : "the failed batch was not applied";
        return new BulkLoadException("bulk load stopped after " + written + " entries were written; "
                + outcome + " and later entries were not sent: " + f.getMessage()
                + ". Loading the same entries again is safe", written, f);
    }
}
