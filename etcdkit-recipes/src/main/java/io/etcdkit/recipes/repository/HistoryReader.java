package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Walks a resource's versions back through etcd's multi-version store: the version before the one with mod
 * revision {@code m} is the key as read at revision {@code m - 1}. The walk stops at the version whose mod
 * revision is its create revision (the creation), at the first read etcd refuses as compacted, or at the limit.
 * One read per version; the async form starts each read from the previous one's callback. Stateless; thread-safe.
 */
final class HistoryReader<T> {
    private final Context<T> ctx;

    HistoryReader(Context<T> ctx) {
        this.ctx = ctx;
    }

    Optional<History<T>> read(String id, int maxVersions) {
        if (maxVersions < 1) {
            throw new InvalidArgumentException("a history needs at least 1 version, got " + maxVersions);
        }
        Bytes key = ctx.keys().key(id);
        Optional<KeyValue> current = ctx.kv().get(key);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        List<Versioned<T>> versions = new ArrayList<>();
        KeyValue kv = current.get();
        versions.add(ctx.codec().decode(kv));
        while (kv.modRevision() > kv.createRevision()) {
            if (versions.size() == maxVersions) {
                return Optional.of(new History<>(versions, History.End.LIMIT));
            }
            Optional<KeyValue> before;
            try {
                before = ctx.kv().range(Range.key(key).atRevision(kv.modRevision() - 1)).first();
            } catch (CompactedException e) {
                return Optional.of(new History<>(versions, History.End.COMPACTED));
            }
            if (before.isEmpty()) {
                break; // cannot happen while mod > create; end the walk rather than loop
            }
            kv = before.get();
            versions.add(ctx.codec().decode(kv));
        }
        return Optional.of(new History<>(versions, History.End.CREATED));
    }

    /** {@link #read}, each read started from the previous one's callback; no thread waits. */
    CompletableFuture<Optional<History<T>>> readAsync(String id, int maxVersions) {
        if (maxVersions < 1) {
            return CompletableFuture.failedFuture(
                    new InvalidArgumentException("a history needs at least 1 version, got " + maxVersions));
        }
        Bytes key = ctx.keys().key(id);
        return ctx.kv().getAsync(key).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            List<Versioned<T>> versions = new ArrayList<>();
            versions.add(ctx.codec().decode(current.get()));
            return walkAsync(key, current.get(), versions, maxVersions).thenApply(Optional::of);
        });
    }

    private CompletableFuture<History<T>> walkAsync(Bytes key, KeyValue kv, List<Versioned<T>> versions,
            int maxVersions) {
        if (kv.modRevision() <= kv.createRevision()) {
            return CompletableFuture.completedFuture(new History<>(versions, History.End.CREATED));
        }
        if (versions.size() == maxVersions) {
            return CompletableFuture.completedFuture(new History<>(versions, History.End.LIMIT));
        }
        return ctx.kv().rangeAsync(Range.key(key).atRevision(kv.modRevision() - 1)).handle((read, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof CompactedException) {
                    return CompletableFuture.completedFuture(new History<>(versions, History.End.COMPACTED));
                }
                return CompletableFuture.<History<T>>failedFuture(cause);
            }
            Optional<KeyValue> before = read.first();
            if (before.isEmpty()) { // cannot happen while mod > create; end the walk rather than loop
                return CompletableFuture.completedFuture(new History<>(versions, History.End.CREATED));
            }
            versions.add(ctx.codec().decode(before.get()));
            return walkAsync(key, before.get(), versions, maxVersions);
        }).thenCompose(f -> f);
    }
}
