package io.etcdkit.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Watching with one client, in the terms the watch benches need ({@link WatchBench}, {@link WatchersBench},
 * {@link SubscribeBench}): each client's way of doing it in its own public API, nothing added.
 */
interface WatchClient {

    /** Hears put events (and, of a subscription, the snapshot's keys). */
    @FunctionalInterface
    interface PutListener {
        /** A put; {@code value} is readable from its position and valid during the call only. */
        void onPut(ByteBuffer value);
    }

    /** A running watch or subscription. */
    interface Handle extends AutoCloseable {
        /** Whether the server has confirmed the watch (a watch from now delivers from then on). */
        boolean confirmed();

        /** Why the watch ended or failed (it was not closed by the bench), or null while it is fine. */
        Object failure();

        @Override
        void close();
    }

    /** The client for {@code target}: etcdkit or jetcd. */
    static WatchClient of(Target target) {
        if (target instanceof EtcdkitTarget e) {
            return new EtcdkitWatchClient(e.client());
        }
        if (target instanceof JetcdTarget j) {
            return new JetcdWatchClient(j.client());
        }
        throw new UnsupportedOperationException(target.name() + " has no watch client here");
    }

    /** Watches every key under {@code prefix}, from {@code fromRevision} (0: from now on). */
    Handle watchPrefix(byte[] prefix, long fromRevision, PutListener listener);

    /** Watches one key from now on. */
    Handle watchKey(byte[] key, PutListener listener);

    /**
     * Subscribes to {@code prefix}: every key that exists (one consistent snapshot, read in pages so that no
     * response exceeds the message-size limits), then {@code snapshotDone} with the number of keys, then live puts
     * from the snapshot's revision + 1.
     */
    Handle subscribe(byte[] prefix, PutListener listener, LongConsumer snapshotDone);

    /** Writes a key (async). */
    CompletableFuture<?> put(byte[] key, byte[] value);
}
