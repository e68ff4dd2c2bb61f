package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code ...Async} writes of a {@link Repository} without a quota: each is the same transaction as its
 * blocking form, chained on the client's async calls, so no thread waits. The labels of the replaced version are
 * read (asynchronously) only when a label of the new value is not valid here, as the blocking form does; an
 * upsert that needed them retries on a conflict after a back-off on a delayed executor.
 *
 * <p>With a quota, a write takes or releases a place found by a paged scan of the place keys and is retried when
 * another client took the chosen place first; those writes run their blocking form on the common fork-join pool
 * (see {@link #blocking(Supplier)}).
 */
final class AsyncWrites<T> {
    /** Thrown by a label supplier: the stored labels are needed, read them asynchronously and encode again. */
    private static final class NeedsStoredLabels extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedsStoredLabels() {
            super(null, null, false, false);
        }
    }

    private final Context<T> ctx;

    AsyncWrites(Context<T> ctx) {
        this.ctx = ctx;
    }

    /**
     * The blocking form run on the common fork-join pool (whose waits on futures are compensated): used only for
     * writes of a repository with a quota, whose place bookkeeping (paged scans, retries) has no async form.
     */
    static <R> CompletableFuture<R> blocking(Supplier<R> write) {
        return CompletableFuture.supplyAsync(write, ForkJoinPool.commonPool());
    }

    CompletableFuture<Versioned<T>> create(String id, T value, Duration ttl) {
        Bytes key = ctx.keys().key(id);
        Bytes bytes = ctx.codec().encode(key, id, value, Map::of);
        CompletableFuture<Long> lease = ttl == null ? CompletableFuture.completedFuture(0L)
                : ctx.client().leases().grantAsync(ttl).thenApply(l -> l.id());
        return lease.thenCompose(leaseId -> {
            Put put = leaseId == 0 ? Put.of(key, bytes) : Put.of(key, bytes).lease(leaseId);
            return ctx.kv().commitAsync(Transaction.when(Compare.absent(key)).then(put)
                    .otherwise(Range.key(key).keysOnly())).handle((result, error) -> {
                        if (error != null) {
                            if (!(unwrap(error) instanceof OutcomeUnknownException)) {
                                ctx.revokeQuietly(leaseId);
                            }
                            throw propagate(error);
                        }
                        if (!result.succeeded()) {
                            ctx.revokeQuietly(leaseId);
                            throw conflict(Write.create(id, value, ttl), result);
                        }
                        return ctx.codec().written(id, value, result.revision(), result.revision(), leaseId);
                    });
        });
    }

    CompletableFuture<Versioned<T>> update(String id, T value, long expectedVersion) {
        Write<T> write = Write.update(id, value, expectedVersion);
        if (expectedVersion <= 0) {
            // the blocking form's check and message
            return CompletableFuture.failedFuture(catching(() -> new AtomicWrite<>(ctx, java.util.List.of(write))));
        }
        Bytes key = ctx.keys().key(id);
        return encode(key, id, value, stored -> stored.filter(kv -> kv.modRevision() == expectedVersion))
                .thenCompose(bytes -> ctx.kv().commitAsync(Transaction
                        .when(Compare.modRevision(key).equalTo(expectedVersion))
                        .then(Put.of(key, bytes).keepLease().withPreviousValue())
                        .otherwise(Range.key(key).keysOnly())))
                .thenApply(result -> {
                    if (!result.succeeded()) {
                        throw conflict(write, result);
                    }
                    KeyValue before = result.putResult(0).previous().orElseThrow();
                    return ctx.codec().written(id, value, result.revision(), before.createRevision(), before.lease());
                });
    }

    CompletableFuture<Void> delete(String id, long expectedVersion) {
        Write<T> write = Write.delete(id, expectedVersion);
        if (expectedVersion <= 0) {
            return CompletableFuture.failedFuture(catching(() -> new AtomicWrite<>(ctx, java.util.List.of(write))));
        }
        Bytes key = ctx.keys().key(id);
        return ctx.kv().commitAsync(Transaction.when(Compare.modRevision(key).equalTo(expectedVersion))
                .then(Delete.key(key).withPreviousValues()).otherwise(Range.key(key).keysOnly()))
                .thenApply(result -> {
                    if (!result.succeeded()) {
                        throw conflict(write, result);
                    }
                    result.deleteResult(0).previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
                    return null;
                });
    }

    CompletableFuture<Boolean> delete(String id) {
        return ctx.kv().deleteAsync(Delete.key(ctx.keys().key(id)).withPreviousValues()).thenApply(deleted -> {
            deleted.previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
            return deleted.deleted() > 0;
        });
    }

    /** {@link Upsert} without a quota: one transaction, or with foreign labels kept, retried on a conflict. */
    CompletableFuture<Versioned<T>> set(String id, T value, int attempt) {
        Bytes key = ctx.keys().key(id);
        long[] required = {-1}; // the version whose labels were kept (0: absent), -1 when none was read
        return encode(key, id, value, stored -> {
            required[0] = stored.map(KeyValue::modRevision).orElse(0L);
            return stored;
        }).thenCompose(bytes -> {
            Put overwrite = Put.of(key, bytes).keepLease().withPreviousValue();
            Transaction txn = required[0] < 0
                    ? Transaction.when(Compare.exists(key)).then(overwrite).otherwise(Put.of(key, bytes))
                    : Transaction.when(Compare.modRevision(key).equalTo(required[0]))
                            .then(required[0] > 0 ? overwrite : Put.of(key, bytes));
            return ctx.kv().commitAsync(txn);
        }).thenCompose(result -> {
            if (result.succeeded() || required[0] < 0) {
                PutResult put = result.putResult(0);
                long createRevision = put.previous().map(KeyValue::createRevision).orElse(result.revision());
                long lease = put.previous().map(KeyValue::lease).orElse(0L);
                return CompletableFuture.completedFuture(
                        ctx.codec().written(id, value, result.revision(), createRevision, lease));
            }
            if (attempt >= ctx.attempts()) {
                return CompletableFuture.failedFuture(new WriteContentionException("gave up setting resource '" + id
                        + "' after " + attempt + " attempts: other writers changed it before every one. Nothing "
                        + "was written; try again", attempt));
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                    ctx.backoff().delayNanos(attempt), TimeUnit.NANOSECONDS))
                    .thenCompose(ignored -> set(id, value, attempt + 1));
        });
    }

    /**
     * Encodes {@code value}; when one of its labels is not valid here, reads the stored version (asynchronously),
     * lets {@code which} pick the version whose labels are kept, and encodes again with those.
     */
    private CompletableFuture<Bytes> encode(Bytes key, String id, T value,
            java.util.function.Function<Optional<KeyValue>, Optional<KeyValue>> which) {
        try {
            return CompletableFuture.completedFuture(ctx.codec().encode(key, id, value, () -> {
                throw new NeedsStoredLabels();
            }));
        } catch (NeedsStoredLabels needed) {
            return ctx.kv().getAsync(key).thenApply(stored -> {
                Map<String, String> kept = which.apply(stored).map(kv -> ctx.codec().decode(kv).labels())
                        .orElse(Map.of());
                return ctx.codec().encode(key, id, value, () -> kept);
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private RuntimeException conflict(Write<T> write, TxnResult result) {
        long current = result.rangeResult(0).first().map(KeyValue::modRevision).orElse(0L);
        return AtomicWrite.single(write, new Conflict(write.id(), write.expectedVersion(), current));
    }

    private static RuntimeException catching(Runnable r) {
        try {
            r.run();
            return new IllegalStateException("expected a refusal");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static RuntimeException propagate(Throwable t) {
        return t instanceof CompletionException c ? c : new CompletionException(unwrap(t));
    }
}
