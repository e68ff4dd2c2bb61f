package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Caches open their watch only once built, report opened / connection / closed through the client's listener, and
 * are not connected before their first snapshot is loaded.
 */
class CacheEventsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Records the cache events of a client, in order. */
    static final class Recording implements EtcdListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Map<String, IntSupplier> sizes = new ConcurrentHashMap<>();

        @Override
        public void cacheOpened(String cache, IntSupplier size) {
            sizes.put(cache, size);
            events.add("opened " + cache);
        }

        @Override
        public void cacheConnectionChanged(String cache, boolean connected) {
            events.add((connected ? "connected " : "disconnected ") + cache);
        }

        @Override
        public void cacheClosed(String cache) {
            events.add("closed " + cache);
        }
    }

    @Test
    void aViewReportsOpenedConnectedAndClosedWithItsPrefix() throws Exception {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build()) {
            client.kv().put("events/a", "1");
            client.kv().put("events/b", "2");
            CachedView<Long> view = CachedView.open(client, "events/", Codecs.longs());
            assertThat(view.awaitReady(WAIT)).isTrue();
            await().atMost(WAIT).until(view::isConnected);
            assertThat(rec.sizes.get("events/").getAsInt()).isEqualTo(2);
            view.close();
            view.close(); // idempotent: reported once
            assertThat(view.isConnected()).isFalse();
            assertThat(rec.events).containsExactly("opened events/", "connected events/", "disconnected events/",
                    "closed events/");
        }
    }

    @Test
    void aValueReportsWithItsKey() throws Exception {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build()) {
            try (CachedValue<Long> value = CachedValue.open(client, "events-value/limit", Codecs.longs(), 5L)) {
                assertThat(value.awaitReady(WAIT)).isTrue();
                assertThat(value.isConnected()).isTrue();
                assertThat(rec.sizes.get("events-value/limit").getAsInt()).isZero();
            }
            assertThat(rec.events).containsExactly("opened events-value/limit", "connected events-value/limit",
                    "disconnected events-value/limit", "closed events-value/limit");
        }
    }

    @Test
    void aListenerGivenToTheBuilderHearsTheFirstSnapshotOfAFullyBuiltValue() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            client.kv().put("events-first/k", "7");
            List<Long> heard = new CopyOnWriteArrayList<>();
            try (CachedValue<Long> value = CachedValue.builder(client, "events-first/k", Codecs.longs(), 0L)
                    .listener((v, revision) -> heard.add(v))
                    .open()) {
                assertThat(value.awaitReady(WAIT)).isTrue();
                await().atMost(WAIT).until(() -> heard.contains(7L));
                assertThat(heard).containsExactly(7L);
                long rev = value.entry().orElseThrow().modRevision();
                assertThat(value.compareAndSetAsync(rev + 1, 8L).join()).isEmpty();
                java.util.OptionalLong written = value.compareAndSetAsync(rev, 9L).join();
                assertThat(written).isPresent();
                assertThat(value.awaitRevision(written.getAsLong(), WAIT)).isTrue();
                assertThat(value.get()).isEqualTo(9L);
            }
        }
    }

    @Test
    void aViewOfADeadEndpointIsNeverConnected() throws Exception {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints(deadEndpoint())
                .connectTimeout(Duration.ofMillis(500)).listener(rec).build()) {
            CachedView<String> view = CachedView.open(client, "dead/", Codecs.text());
            CachedValue<String> value = CachedValue.open(client, "dead/key", Codecs.text(), "default");
            assertThat(view.awaitReady(Duration.ofSeconds(2))).isFalse();
            assertThat(view.isConnected()).isFalse();
            assertThat(value.isConnected()).isFalse();
            assertThat(value.get()).isEqualTo("default");
            view.close();
            value.close();
            assertThat(rec.events).containsExactlyInAnyOrder("opened dead/", "opened dead/key", "closed dead/",
                    "closed dead/key");
        }
    }

    static String deadEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }
}
