package io.etcdkit.internal.kv;

import io.etcdkit.internal.Futures;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Transaction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One async bulk load: sends batches while fewer than {@code maxInFlight} are outstanding, and each batch's
 * completion sends the next, so no thread waits for a free slot. One thread at a time pumps (a work counter
 * turns a completion that arrives while another thread pumps into one more round of that thread's loop), so the
 * entries' iterator is never read concurrently and a batch that fails at once does not recurse. The result
 * completes only when no batch is in flight: nothing is written after it, even when the iterator failed.
 */
final class AsyncBulkLoad {
    private final Kv kv;
    private final BatchCutter batches;
    private final int maxInFlight;
    private final AtomicInteger pumping = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    /** The iterator's failure, when that is what stopped the load (reported as it is, not as a batch's). */
    private volatile RuntimeException sourceFailure;

    AsyncBulkLoad(Kv kv, BatchCutter batches, int maxInFlight) {
        this.kv = kv;
        this.batches = batches;
        this.maxInFlight = maxInFlight;
    }

    CompletableFuture<Long> start() {
        pump();
        return result;
    }

    private void pump() {
        if (pumping.getAndIncrement() != 0) {
            return;
        }
        do {
            try {
                sendWhilePossible();
            } catch (RuntimeException e) {
                // the caller's iterator failed: as the blocking form, fail with it once nothing is in flight
                if (failure.compareAndSet(null, e)) {
                    sourceFailure = e;
                }
            }
            if (inFlight.get() == 0 && (failure.get() != null || !batches.hasNext())) {
                finish();
            }
        } while (pumping.decrementAndGet() != 0);
    }

    private void sendWhilePossible() {
        while (failure.get() == null && inFlight.get() < maxInFlight && batches.hasNext()) {
            List<Op> batch = batches.next();
            int n = batch.size();
            inFlight.incrementAndGet();
            kv.commitAsync(Transaction.always(batch.toArray(new Op[0]))).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, Futures.unwrap(e));
                } else {
                    written.addAndGet(n);
                }
                inFlight.decrementAndGet();
                pump();
            });
        }
    }

    private void finish() {
        Throwable f = failure.get();
        if (f != null && f == sourceFailure) {
            result.completeExceptionally(f);
        } else if (f != null) {
            result.completeExceptionally(ChunkedBulkLoader.stopped(written.get(), f));
        } else {
            result.complete(written.get());
        }
    }
}
