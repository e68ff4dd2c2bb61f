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

/** {@link BulkLoader} that sends fixed-size transactions with a bounded number in flight. */
final class ChunkedBulkLoader implements BulkLoader {
    private final Kv kv;
    private final int batchSize;
    private final int maxInFlight;

    ChunkedBulkLoader(Kv kv, int batchSize, int maxInFlight) {
        this.kv = kv;
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public long load(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
        Semaphore permits = new Semaphore(maxInFlight);
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            while (entries.hasNext() && failure.get() == null) {
                List<Op> batch = new ArrayList<>(batchSize);
                while (batch.size() < batchSize && entries.hasNext()) {
                    Map.Entry<Bytes, Bytes> e = entries.next();
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
