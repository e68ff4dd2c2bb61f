package io.etcdkit.bench;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/** {@link WatchClient} on etcdkit: {@code watches().watch(..)}, {@code watches().subscribe(..)}, {@code putAsync}. */
final class EtcdkitWatchClient implements WatchClient {
    private final EtcdClient client;

    EtcdkitWatchClient(EtcdClient client) {
        this.client = client;
    }

    @Override
    public Handle watchPrefix(byte[] prefix, long fromRevision, PutListener listener) {
        return handle(client.watches().watch(Watch.prefix(Bytes.of(prefix)).fromRevision(fromRevision), e -> {
            if (e instanceof PutEvent p) {
                listener.onPut(p.kv().value().asReadOnlyByteBuffer());
            }
        }));
    }

    @Override
    public Handle watchKey(byte[] key, PutListener listener) {
        return handle(client.watches().watch(Watch.key(Bytes.of(key)), e -> {
            if (e instanceof PutEvent p) {
                listener.onPut(p.kv().value().asReadOnlyByteBuffer());
            }
        }));
    }

    @Override
    public Handle subscribe(byte[] prefix, PutListener listener, LongConsumer snapshotDone) {
        return handle(client.watches().subscribe(Subscribe.prefix(Bytes.of(prefix)), e -> {
            if (e instanceof PutEvent p) {
                listener.onPut(p.kv().value().asReadOnlyByteBuffer());
            } else if (e instanceof SnapshotCompleteEvent done) {
                snapshotDone.accept(done.keys());
            }
        }));
    }

    @Override
    public CompletableFuture<?> put(byte[] key, byte[] value) {
        return client.kv().putAsync(Put.of(Bytes.of(key), Bytes.of(value)));
    }

    private static Handle handle(Watcher w) {
        return new Handle() {
            private volatile boolean closed;

            @Override
            public boolean confirmed() {
                return w.nextRevision() > 0;
            }

            @Override
            public Object failure() {
                return w.isClosed() && !closed ? "the watch ended (compacted, refused, or the client closed)" : null;
            }

            @Override
            public void close() {
                closed = true;
                w.close();
            }
        };
    }
}
