package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Figures for the notes, printed (lines {@code CACHE READ:} and {@code VIEW STARTUP 100k:}), never asserted: only
 * the results' correctness is. Timings on a shared machine vary; compare runs of the same command.
 */
class CachedViewMeasurementTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void cachedReadsAgainstRemoteSerializableGets() throws Exception {
        int keys = 1024;
        String[] names = IntStream.range(0, keys).mapToObj(i -> String.format("read/k%04d", i)).toArray(String[]::new);
        client.kv().bulkLoader(100, 4).load(Arrays.stream(names)
                .<Map.Entry<Bytes, Bytes>>map(k -> new AbstractMap.SimpleEntry<>(Bytes.of(k), Bytes.of("value-" + k)))
                .iterator());
        try (CachedView<String> view = CachedView.open(client, "read/", Codecs.text())) {
            assertThat(view.awaitReady(Duration.ofSeconds(30))).isTrue();
            assertThat(view.size()).isEqualTo(keys);

            long hits = cachedGets(view, names, 3_000_000); // warm-up
            long cachedStart = System.nanoTime();
            int cachedReads = 20_000_000;
            hits += cachedGets(view, names, cachedReads);
            double cachedSeconds = (System.nanoTime() - cachedStart) / 1e9;
            assertThat(hits).isEqualTo(23_000_000L);

            for (int i = 0; i < 2000; i++) { // warm-up
                remoteGet(names[i % keys]);
            }
            int remoteReads = 0;
            long remoteStart = System.nanoTime();
            long remoteEnd = remoteStart + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < remoteEnd) {
                assertThat(remoteGet(names[remoteReads % keys])).isTrue();
                remoteReads++;
            }
            double remoteSeconds = (System.nanoTime() - remoteStart) / 1e9;
            double cachedRate = cachedReads / cachedSeconds;
            double remoteRate = remoteReads / remoteSeconds;
            System.out.printf("CACHE READ: CachedView.get %.1f M gets/s (%.0f ns each) vs remote serializable get "
                            + "%.0f gets/s (%.0f us each), one thread each, %d keys: %.0fx%n",
                    cachedRate / 1e6, 1e9 / cachedRate, remoteRate, 1e6 / remoteRate, keys, cachedRate / remoteRate);
        }
    }

    @Test
    void viewStartupWithHundredThousandKeys() throws Exception {
        int keys = 100_000;
        Bytes value = Bytes.of("v".repeat(100));
        long loadStart = System.nanoTime();
        long loaded = client.kv().bulkLoader(100, 8).load(entries("big/", keys, value));
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        assertThat(loaded).isEqualTo(keys);

        System.gc();
        long heapBefore = usedHeap();
        long openStart = System.nanoTime();
        try (CachedView<Bytes> view = CachedView.open(client, "big/", Codecs.bytes())) {
            assertThat(view.awaitReady(Duration.ofSeconds(120))).isTrue();
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            assertThat(view.size()).isEqualTo(keys);
            System.gc();
            long heap = usedHeap() - heapBefore;

            // One more change: a revision on a 100k-key view costs O(sqrt n), not a copy of 100k entries.
            long changeStart = System.nanoTime();
            int changes = 500;
            long last = 0;
            for (int i = 0; i < changes; i++) {
                last = client.kv().put(Bytes.of(String.format("big/%06d", i)), Bytes.of("changed")).revision();
            }
            assertThat(view.awaitRevision(last, Duration.ofSeconds(60))).isTrue();
            double changeMs = (System.nanoTime() - changeStart) / 1e6 / changes;
            assertThat(view.get("big/000000")).contains(Bytes.of("changed"));
            System.out.printf("VIEW STARTUP 100k: open until ready %.2f s for %d keys of %d bytes (bulk load %.2f s, "
                            + "%.0f keys/s); view ~%d MiB of heap; then %d sequential puts seen by the view at "
                            + "%.2f ms each (put latency included)%n", openSeconds, keys, value.size(), loadSeconds,
                    keys / loadSeconds, heap >> 20, changes, changeMs);
        }
    }

    private static long cachedGets(CachedView<String> view, String[] names, int n) {
        long hits = 0;
        int mask = names.length - 1;
        for (int i = 0; i < n; i++) {
            if (view.get(names[(i * 31) & mask]).isPresent()) {
                hits++;
            }
        }
        return hits;
    }

    private static boolean remoteGet(String key) {
        return !client.kv().range(Range.key(key).serializable()).kvs().isEmpty();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static Iterator<Map.Entry<Bytes, Bytes>> entries(String prefix, int n, Bytes value) {
        return IntStream.range(0, n).<Map.Entry<Bytes, Bytes>>mapToObj(
                i -> new AbstractMap.SimpleEntry<>(Bytes.of(prefix + String.format("%06d", i)), value)).iterator();
    }
}
