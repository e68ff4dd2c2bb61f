package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.internal.QueueEntry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The handle of a held queue entry, shared by {@link Mutex}, the read-write lock's sides and {@link Semaphore}:
 * its key, fencing token and guard; closing it releases the hold if it is still the current one.
 */
final class QueueHold implements HeldLock, Permit {
    private final QueueEntry entry;
    private final Supplier<QueueEntry> current;
    private final Runnable release;
    private final Supplier<CompletableFuture<?>> releaseAsync;
    private final String kind;

    QueueHold(QueueEntry entry, Supplier<QueueEntry> current, Runnable release,
            Supplier<CompletableFuture<?>> releaseAsync, String kind) {
        this.entry = entry;
        this.current = current;
        this.release = release;
        this.releaseAsync = releaseAsync;
        this.kind = kind;
    }

    @Override
    public Bytes key() {
        return entry.key();
    }

    @Override
    public long fencingToken() {
        return entry.createRevision();
    }

    @Override
    public Compare guard() {
        return entry.guard();
    }

    @Override
    public void close() {
        if (current.get() == entry) {
            release.run();
        }
    }

    /** {@link #close()} without a waiting thread: for a hold given back from a callback. */
    CompletableFuture<?> closeAsync() {
        return current.get() == entry ? releaseAsync.get() : CompletableFuture.completedFuture(null);
    }

    @Override
    public String toString() {
        return kind + "[" + entry.key() + ", token " + entry.createRevision() + "]";
    }
}
