package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The async twins of scan/list/listKeys/keysMatching read the same pages at one revision, without blocking. */
class ScanAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final int KEYS = 250;
    static final String CALLBACK_THREAD = "scan-async-callback";

    static ExecutorService callbacks;
    static EtcdClient client;
    static Kv kv;

    @BeforeAll
    static void load() {
        callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, CALLBACK_THREAD));
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).callbackExecutor(callbacks).build();
        kv = client.kv();
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            entries.put(Bytes.of(String.format("sa/%s/k%04d", i % 2 == 0 ? "even" : "odd", i)), Bytes.of("v" + i));
        }
        assertThat(kv.bulkLoader(64, 4).load(entries)).isEqualTo(KEYS);
    }

    @AfterAll
    static void close() {
        client.close();
        callbacks.shutdownNow();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void scanAsyncReturnsWhatScanReturnsAndCompletesOnTheCallbackExecutor() throws Exception {
        CountDownLatch gate = BulkLoadAsyncTest.hold(callbacks); // the dependent is attached before f can complete
        CompletableFuture<List<KeyValue>> f = kv.scanAsync(Range.prefix("sa/"), 7);
        CompletableFuture<String> completedOn = f.thenApply(x -> Thread.currentThread().getName());
        gate.countDown();
        List<KeyValue> blocking;
        try (Stream<KeyValue> s = kv.scan(Range.prefix("sa/"), 7)) {
            blocking = s.toList();
        }
        // completedOn first: a thread waiting in f.get() may itself run f's dependents (the JDK's doing)
        assertThat(get(completedOn)).isEqualTo(CALLBACK_THREAD);
        assertThat(get(f)).hasSize(KEYS).isEqualTo(blocking);
        assertThat(get(kv.scanAsync(Range.key("sa/odd/k0001"), 7))).extracting(KeyValue::valueAsString)
                .containsExactly("v1");
    }

    @Test
    void listTwinsMatchTheirBlockingForms() throws Exception {
        assertThat(get(kv.listAsync("sa/even/"))).hasSize(KEYS / 2).isEqualTo(kv.list("sa/even/"));
        assertThat(get(kv.listKeysAsync("sa/odd/"))).hasSize(KEYS / 2).isEqualTo(kv.listKeys("sa/odd/"));
        assertThat(get(kv.keysMatchingAsync("sa/*/k00?3"))).isEqualTo(kv.keysMatching("sa/*/k00?3"))
                .containsExactly(Bytes.of("sa/odd/k0003"), Bytes.of("sa/odd/k0013"), Bytes.of("sa/odd/k0023"),
                        Bytes.of("sa/odd/k0033"), Bytes.of("sa/odd/k0043"), Bytes.of("sa/odd/k0053"),
                        Bytes.of("sa/odd/k0063"), Bytes.of("sa/odd/k0073"), Bytes.of("sa/odd/k0083"),
                        Bytes.of("sa/odd/k0093"));
        assertThat(get(kv.listAsync("sa-none/"))).isEmpty();
    }

    @Test
    void laterPagesAreReadAtTheFirstPagesRevision() throws Exception {
        String changed = String.format("sa/even/k%04d", KEYS - 2);
        AtomicInteger ranges = new AtomicInteger();
        // A view of kv that writes between the first and the second page: the scan must not see the writes.
        // (Written asynchronously: this runs on the only callback thread, which a blocking put would deadlock.)
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("rangeAsync") && ranges.incrementAndGet() == 2) {
                return kv.putAsync("sa/even/k0000x", "inserted later")
                        .thenCompose(p -> kv.putAsync(changed, "changed later"))
                        .thenCompose(p -> kv.rangeAsync((Range) args[0]));
            }
            return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args)
                    : method.invoke(kv, args);
        };
        Kv writing = (Kv) Proxy.newProxyInstance(Kv.class.getClassLoader(), new Class<?>[] {Kv.class}, h);
        try {
            List<KeyValue> seen = get(writing.scanAsync(Range.prefix("sa/even/"), 10));
            assertThat(ranges.get()).isEqualTo(KEYS / 2 / 10 + 1);
            assertThat(seen).hasSize(KEYS / 2).extracting(KeyValue::keyAsString).doesNotContain("sa/even/k0000x");
            assertThat(seen.get(seen.size() - 1).valueAsString()).isEqualTo("v" + (KEYS - 2));
            assertThat(kv.get(changed).orElseThrow().valueAsString()).isEqualTo("changed later");
        } finally {
            kv.delete("sa/even/k0000x");
            kv.put(changed, "v" + (KEYS - 2));
        }
    }

    @Test
    void badArgumentsAndCompactedRevisionsFailTheFuture() throws Exception {
        assertThatThrownBy(() -> get(kv.scanAsync(Range.prefix("sa/"), 0)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("pageSize must be at least 1");
        assertThatThrownBy(() -> get(kv.scanAsync(Range.prefix("sa/").limit(5), 10)))
                .hasCauseInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot be sorted, limited");
        assertThatThrownBy(() -> get(kv.keysMatchingAsync("")))
                .hasCauseInstanceOf(InvalidArgumentException.class).hasMessageContaining("pattern is empty");
        long old = kv.get("sa/odd/k0001").orElseThrow().modRevision();
        long now = kv.put("sa/compact-marker", "x").revision();
        client.maintenance().compact(now, false);
        assertThatThrownBy(() -> get(kv.scanAsync(Range.prefix("sa/").atRevision(old), 10)))
                .hasCauseInstanceOf(CompactedException.class);
        kv.delete("sa/compact-marker");
    }
}
