package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * {@link WatchClient} on jetcd 0.8: {@code Watch.watch(..)} (one gRPC stream per watcher, jetcd's design; created
 * notifications asked for to know when a watch is confirmed), {@code KV.put}. jetcd has no snapshot-then-watch, so
 * {@link #subscribe} does what a jetcd application has to write itself: async paged gets at one pinned revision
 * (1,000 keys per page, like etcdkit's default), then a prefix watch from that revision + 1.
 */
final class JetcdWatchClient implements WatchClient {
    private static final int PAGE = 1000;

    private final Client client;

    JetcdWatchClient(Client client) {
        this.client = client;
    }

    /** A jetcd watcher (or a subscription's pages and then watcher) as a {@link WatchClient.Handle}. */
    private static final class JetcdHandle implements Handle, Watch.Listener {
        private final PutListener listener;
        private volatile boolean confirmed;
        private volatile Object failure;
        private volatile boolean closed;
        private volatile Watch.Watcher watcher;

        JetcdHandle(PutListener listener) {
            this.listener = listener;
        }

        @Override
        public void onNext(WatchResponse response) {
            if (response.isCreatedNotify()) {
                confirmed = true;
            }
            for (WatchEvent e : response.getEvents()) {
                if (e.getEventType() == WatchEvent.EventType.PUT) {
                    listener.onPut(ByteBuffer.wrap(e.getKeyValue().getValue().getBytes()));
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!closed) {
                failure = t;
            }
        }

        @Override
        public void onCompleted() {
            if (!closed) {
                failure = "the watch completed";
            }
        }

        @Override
        public boolean confirmed() {
            return confirmed;
        }

        @Override
        public Object failure() {
            return failure;
        }

        @Override
        public void close() {
            closed = true;
            Watch.Watcher w = watcher;
            if (w != null) {
                w.close();
            }
        }
    }

    @Override
    public Handle watchPrefix(byte[] prefix, long fromRevision, PutListener listener) {
        JetcdHandle h = new JetcdHandle(listener);
        WatchOption.Builder option = WatchOption.builder().isPrefix(true).withCreateNotify(true);
        if (fromRevision > 0) {
            option.withRevision(fromRevision);
        }
        h.watcher = client.getWatchClient().watch(ByteSequence.from(prefix), option.build(), h);
        return h;
    }

    @Override
    public Handle watchKey(byte[] key, PutListener listener) {
        JetcdHandle h = new JetcdHandle(listener);
        h.watcher = client.getWatchClient().watch(ByteSequence.from(key),
                WatchOption.builder().withCreateNotify(true).build(), h);
        return h;
    }

    @Override
    public Handle subscribe(byte[] prefix, PutListener listener, LongConsumer snapshotDone) {
        JetcdHandle h = new JetcdHandle(listener);
        ByteSequence end = ByteSequence.from(prefixEnd(prefix));
        AtomicLong keys = new AtomicLong();
        page(h, ByteSequence.from(prefix), end, 0, keys).whenComplete((revision, error) -> {
            if (error != null) {
                h.onError(error);
            } else if (!h.closed) {
                snapshotDone.accept(keys.get());
                h.watcher = client.getWatchClient().watch(ByteSequence.from(prefix), WatchOption.builder()
                        .isPrefix(true).withRevision(revision + 1).withCreateNotify(true).build(), h);
                if (h.closed) {
                    h.watcher.close();
                }
            }
        });
        return h;
    }

    /** Reads one page from {@code from}, delivers its keys, then the next page; completes with the revision. */
    private CompletableFuture<Long> page(JetcdHandle h, ByteSequence from, ByteSequence end, long revision,
            AtomicLong keys) {
        GetOption.Builder option = GetOption.builder().withRange(end).withLimit(PAGE);
        if (revision > 0) {
            option.withRevision(revision);
        }
        return client.getKVClient().get(from, option.build()).thenCompose((GetResponse r) -> {
            long rev = revision > 0 ? revision : r.getHeader().getRevision();
            KeyValue last = null;
            for (KeyValue kv : r.getKvs()) {
                h.listener.onPut(ByteBuffer.wrap(kv.getValue().getBytes()));
                last = kv;
            }
            keys.addAndGet(r.getKvs().size());
            if (!r.isMore() || last == null || h.closed) {
                return CompletableFuture.completedFuture(rev);
            }
            byte[] k = last.getKey().getBytes();
            return page(h, ByteSequence.from(Arrays.copyOf(k, k.length + 1)), end, rev, keys);
        });
    }

    /** The first key after every key starting with {@code prefix}. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0}; // every key
    }

    @Override
    public CompletableFuture<?> put(byte[] key, byte[] value) {
        return client.getKVClient().put(ByteSequence.from(key), ByteSequence.from(value));
    }
}
