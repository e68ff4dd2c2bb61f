package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The {@code ...Async} writes of a {@link Repository}: each is the same transaction as its blocking form (see
 * {@link AtomicWrite} and {@link Upsert}), chained on the client's async calls, so no thread waits. The labels of
 * the replaced version are read (asynchronously) only when a label of the new value is not valid here, as the
 * blocking form does. With a quota, a create takes a free place found by a paged async scan of the place keys and
 * a delete releases the resource's place, in the same transaction; the retries the blocking forms make (a place
 * taken meanwhile, an upsert or unconditional delete raced by other writers) wait their back-off on a delayed
 * executor.
 */
final class AsyncWrites<T> {
    /** Thrown by a label supplier: the stored labels are needed, read them asynchronously and encode again. */
    static final class NeedsStoredLabels extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedsStoredLabels() {
            super(null, null, false, false);
        }
    }

    private final Context<T> ctx;

    AsyncWrites(Context<T> ctx) {
        this.ctx = ctx;
    }

    CompletableFuture<Versioned<T>> create(String id, T value, Duration ttl) {
        Bytes key = ctx.keys().key(id);
        Bytes bytes = ctx.codec().encode(key, id, value, Map::of);
        CompletableFuture<Long> lease = ttl == null ? CompletableFuture.completedFuture(0L)
                : ctx.client().leases().grantAsync(ttl).thenApply(l -> l.id());
        return lease.thenCompose(leaseId -> createOnce(Write.create(id, value, ttl), key, bytes, leaseId, 1)
                .whenComplete((written, error) -> {
                    if (error != null && !(unwrap(error) instanceof OutcomeUnknownException)) {
                        ctx.revokeQuietly(leaseId); // surely not applied
                    }
                }));
    }

    /** One transaction; with a quota it also takes a free place, and is retried when that place was taken. */
    private CompletableFuture<Versioned<T>> createOnce(Write<T> write, Bytes key, Bytes bytes, long leaseId,
            int attempt) {
        CompletableFuture<List<Bytes>> places = ctx.quota() == null ? CompletableFuture.completedFuture(List.of())
                : recover(ctx.quota().pickFreeAsync(ctx.kv(), 1), error -> {
                    if (!(error instanceof QuotaExceededException)) {
                        return null;
                    }
                    // an existing resource is reported as the conflict it is rather than as the quota being full
                    return ctx.kv().getAsync(key).thenApply(existing -> {
                        throw existing.<RuntimeException>map(kv -> new ResourceExistsException(write.id(),
                                kv.modRevision())).orElse((QuotaExceededException) error);
                    });
                });
        return places.thenCompose(free -> {
            List<Compare> compares = new ArrayList<>(List.of(Compare.absent(key)));
            List<Op> then = new ArrayList<>(List.of(leased(Put.of(key, bytes), leaseId)));
            for (Bytes place : free) {
                compares.add(Compare.absent(place));
                then.add(leased(Put.of(place, Bytes.of(write.id())), leaseId));
            }
            return ctx.kv().commitAsync(Transaction.when(compares).then(then).otherwise(Range.key(key).keysOnly()));
        }).thenCompose(result -> {
            if (result.succeeded()) {
                return CompletableFuture.completedFuture(ctx.codec().written(write.id(), write.value(),
                        result.revision(), result.revision(), leaseId));
            }
            if (result.rangeResult(0).first().isPresent()) {
                throw conflict(write, result);
            }
            // only the chosen place was taken by another client meanwhile
            if (attempt >= ctx.attempts()) {
                throw new WriteContentionException("gave up writing 1 resource(s) under '" + ctx.keys().root()
                        + "' after " + attempt + " attempts: other clients changed the quota places involved first "
                        + "every time. Nothing was written; try again", attempt);
            }
            return later(attempt, () -> createOnce(write, key, bytes, leaseId, attempt + 1));
        });
    }

    CompletableFuture<Versioned<T>> update(String id, T value, long expectedVersion) {
        Write<T> write = Write.update(id, value, expectedVersion);
        if (expectedVersion <= 0) {
            // the blocking form's check and message
            return CompletableFuture.failedFuture(catching(() -> new AtomicWrite<>(ctx, List.of(write))));
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
            return CompletableFuture.failedFuture(catching(() -> new AtomicWrite<>(ctx, List.of(write))));
        }
        return deleteOnce(write, ctx.keys().key(id), 1);
    }

    /** One transaction; with a quota it also releases the resource's place, and is retried if that changed. */
    private CompletableFuture<Void> deleteOnce(Write<T> write, Bytes key, int attempt) {
        long expected = write.expectedVersion();
        CompletableFuture<Optional<KeyValue>> place = ctx.quota() == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : ctx.kv().rangeAsync(Range.key(key)).thenCompose(read -> {
                    Optional<KeyValue> resource = read.first().filter(kv -> kv.modRevision() == expected);
                    // a resource missing or changed fails the transaction's own compare; no place is needed then
                    return resource.isEmpty() ? CompletableFuture.completedFuture(Optional.<KeyValue>empty())
                            : ctx.quota().heldByAsync(ctx.kv(), resource.get(), write.id(), read.revision());
                });
        return place.thenCompose(held -> {
            List<Compare> compares = new ArrayList<>(List.of(Compare.modRevision(key).equalTo(expected)));
            List<Op> then = new ArrayList<>(List.of(Delete.key(key).withPreviousValues()));
            held.ifPresent(p -> {
                compares.add(Compare.modRevision(p.key()).equalTo(p.modRevision()));
                then.add(Delete.key(p.key()));
            });
            return ctx.kv().commitAsync(Transaction.when(compares).then(then).otherwise(Range.key(key).keysOnly()));
        }).thenCompose(result -> {
            if (result.succeeded()) {
                result.deleteResult(0).previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
                return CompletableFuture.<Void>completedFuture(null);
            }
            long current = result.rangeResult(0).first().map(KeyValue::modRevision).orElse(0L);
            if (current != expected) {
                throw conflict(write, result);
            }
            if (attempt >= ctx.attempts()) {
                throw new WriteContentionException("gave up writing 1 resource(s) under '" + ctx.keys().root()
                        + "' after " + attempt + " attempts: other clients changed the quota places involved first "
                        + "every time. Nothing was written; try again", attempt);
            }
            return later(attempt, () -> deleteOnce(write, key, attempt + 1));
        });
    }

    CompletableFuture<Boolean> delete(String id) {
        if (ctx.quota() == null) {
            return ctx.kv().deleteAsync(Delete.key(ctx.keys().key(id)).withPreviousValues()).thenApply(deleted -> {
                deleted.previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
                return deleted.deleted() > 0;
            });
        }
        // with a quota the resource's place must go in the same transaction: delete the version just read
        return deleteReadVersion(id, 1);
    }

    private CompletableFuture<Boolean> deleteReadVersion(String id, int attempt) {
        return ctx.kv().getAsync(ctx.keys().key(id)).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> deleted = delete(id, current.get().modRevision()).thenApply(v -> true);
            return recover(deleted, error -> {
                if (error instanceof ResourceNotFoundException) {
                    return CompletableFuture.completedFuture(false);
                }
                if (!(error instanceof VersionConflictException)) {
                    return null;
                }
                if (attempt >= ctx.attempts()) {
                    return CompletableFuture.failedFuture(new WriteContentionException("gave up deleting resource '"
                            + id + "' after " + attempt + " attempts: other writers changed it before every one. "
                            + "Nothing was deleted; try again", attempt));
                }
                return later(attempt, () -> deleteReadVersion(id, attempt + 1));
            });
        });
    }

    /**
     * {@link Upsert} with a quota: a create (taking a place) or an update of the version just read, read again
     * and retried when another writer got in between.
     */
    CompletableFuture<Versioned<T>> setWithQuota(String id, T value, int attempt) {
        CompletableFuture<Versioned<T>> once = ctx.kv().getAsync(ctx.keys().key(id)).thenCompose(current ->
                current.isEmpty() ? create(id, value, null) : update(id, value, current.get().modRevision()));
        return recover(once, error -> {
            if (!(error instanceof ResourceExistsException || error instanceof ResourceNotFoundException
                    || error instanceof VersionConflictException)) {
                return null;
            }
            if (attempt >= ctx.attempts()) {
                return CompletableFuture.failedFuture(new WriteContentionException("gave up setting resource '" + id
                        + "' after " + attempt + " attempts: other writers changed it before every one. Nothing "
                        + "was written; try again", attempt));
            }
            return later(attempt, () -> setWithQuota(id, value, attempt + 1));
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
            return later(attempt, () -> set(id, value, attempt + 1));
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

    /** Runs {@code next} after the back-off before retry {@code attempt}, on a delayed executor (no thread waits). */
    private <R> CompletableFuture<R> later(int attempt, Supplier<CompletableFuture<R>> next) {
        return ctx.later(attempt, next);
    }

    /**
     * {@code future}, or when it fails, what {@code recovery} makes of the (unwrapped) error; a null recovery
     * keeps the failure.
     */
    private static <R> CompletableFuture<R> recover(CompletableFuture<R> future,
            java.util.function.Function<Throwable, CompletableFuture<R>> recovery) {
        return future.handle((r, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(r);
            }
            CompletableFuture<R> recovered = recovery.apply(unwrap(e));
            return recovered != null ? recovered : CompletableFuture.<R>failedFuture(unwrap(e));
        }).thenCompose(f -> f);
    }

    private static Put leased(Put put, long lease) {
        return lease == 0 ? put : put.lease(lease);
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
