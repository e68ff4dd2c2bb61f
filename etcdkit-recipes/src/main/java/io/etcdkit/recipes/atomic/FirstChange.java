package io.etcdkit.recipes.atomic;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import io.etcdkit.watch.Watches;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first change of one key after a given revision, looked up in etcd's history with a watch started at that
 * revision + 1. Used only when the key is known to have changed since, so the first event is already history.
 */
final class FirstChange {

    /** What the history says. */
    sealed interface Result permits Written, Deleted, Compacted {
    }

    /** The first change was a put of {@code kv}. */
    record Written(KeyValue kv) implements Result {
    }

    /** The first change was a delete at {@code revision}. */
    record Deleted(long revision) implements Result {
    }

    /** The history from the revision asked for is gone: compacted up to {@code compactRevision}. */
    record Compacted(long compactRevision) implements Result {
    }

    private FirstChange() {
    }

    /**
     * The first change of {@code key} after {@code revision}. Fails with {@link java.util.concurrent.TimeoutException}
     * when nothing arrives within {@code timeoutNanos}, or with the watch's error when the server ends it.
     */
    static CompletableFuture<Result> after(Watches watches, Bytes key, long revision, long timeoutNanos) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Watcher watcher = watches.watch(Watch.key(key).fromRevision(revision + 1).bufferSize(1),
                event -> deliver(event, result));
        // Registered after the watcher exists, so it runs (at once, if need be) with the watcher to close.
        result.orTimeout(Math.max(timeoutNanos, 1), TimeUnit.NANOSECONDS).whenComplete((r, e) -> watcher.close());
        return result;
    }

    private static void deliver(WatchEvent event, CompletableFuture<Result> result) {
        if (event instanceof PutEvent put) {
            result.complete(new Written(put.kv()));
        } else if (event instanceof DeleteEvent delete) {
            result.complete(new Deleted(delete.revision()));
        } else if (event instanceof CompactedEvent compacted) {
            result.complete(new Compacted(compacted.compactRevision()));
        } else if (event instanceof EndedEvent ended) {
            result.completeExceptionally(ended.cause());
        }
        // Progress, disconnect and resume events say nothing about the key: the watcher resumes on its own.
    }
}
