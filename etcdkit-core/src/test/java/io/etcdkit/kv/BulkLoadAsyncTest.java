package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BulkLoader#loadAsync}: the blocking form's batches and failure rule, with no thread waiting. */
class BulkLoadAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String CALLBACK_THREAD = "bulk-async-callback";

    static ExecutorService callbacks;
    static EtcdClient client;
    static Kv kv;

    @BeforeAll
    static void connect() {
        callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, CALLBACK_THREAD));
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).callbackExecutor(callbacks).build();
        kv = client.kv();
    }

    @AfterAll
    static void close() {
        client.close();
        callbacks.shutdownNow();
    }

    /** Occupies {@code executor}'s only thread until the returned latch is counted down. */
    static CountDownLatch hold(java.util.concurrent.Executor executor) {
        CountDownLatch gate = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return gate;
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static Map<Bytes, Bytes> entries(String prefix, int n) {
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(Bytes.of(String.format("%sk%05d", prefix, i)), Bytes.of("v" + i));
        }
        return entries;
    }

    static long revision() {
        return kv.range(Range.key("none").countOnly()).revision();
    }

    @Test
    void loadsInTheSameBatchesAsTheBlockingFormAndCompletesOnTheCallbackExecutor() throws Exception {
        long before = revision();
        CountDownLatch gate = hold(callbacks); // the dependent is attached before the load can complete
        CompletableFuture<Long> f = kv.bulkLoader(100, 3).loadAsync(entries("bla/", 1050));
        CompletableFuture<String> completedOn = f.thenApply(n -> Thread.currentThread().getName());
        gate.countDown();
        // completedOn first: a thread waiting in f.get() may itself run f's dependents (the JDK's doing)
        assertThat(get(completedOn)).isEqualTo(CALLBACK_THREAD);
        assertThat(get(f)).isEqualTo(1050);
        assertThat(revision() - before).as("transactions sent").isEqualTo(11);
        assertThat(kv.list("bla/")).hasSize(1050).last().extracting(KeyValue::valueAsString).isEqualTo("v1049");
        assertThat(get(kv.bulkLoader().loadAsync(Map.of()))).isZero();
    }

    @Test
    void startedOnTheOnlyCallbackThreadItDoesNotDeadlock() throws Exception {
        // With one callback thread, a load that parked it waiting for a free slot could never be woken.
        CompletableFuture<Long> f = CompletableFuture
                .supplyAsync(() -> kv.bulkLoader(10, 2).loadAsync(entries("bla-one/", 500)), callbacks)
                .thenCompose(x -> x);
        assertThat(get(f)).isEqualTo(500);
        assertThat(kv.count(Range.prefix("bla-one/"))).isEqualTo(500);
    }

    @Test
    void aRefusedBatchStopsTheLoadWithWhatWasWritten() throws Exception {
        List<Map.Entry<Bytes, Bytes>> list = new ArrayList<>(entries("bla-fail/a", 200).entrySet());
        list.add(Map.entry(Bytes.of("bla-fail/huge"), Bytes.of(new byte[3 * 1024 * 1024]))); // over etcd's limit
        list.addAll(entries("bla-fail/z", 200).entrySet());
        CompletableFuture<Long> f = kv.bulkLoader(50, 2).loadAsync(list.iterator());
        assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BulkLoadException.class).hasMessageContaining("later entries were not sent");
        BulkLoadException e = (BulkLoadException) f.handle((n, t) -> t).get(1, TimeUnit.SECONDS);
        assertThat(e).hasCauseInstanceOf(io.etcdkit.RequestTooLargeException.class)
                .hasMessageContaining("the failed batch was not applied");
        // The four batches before the huge entry were sent before it; at most one batch after it was in flight.
        assertThat(e.written()).isIn(200L, 250L);
        assertThat(kv.count(Range.prefix("bla-fail/"))).isEqualTo(e.written());
        assertThat(kv.exists("bla-fail/huge")).isFalse();
    }

    /** The entries of {@code inner}, then an exception at the 31st read. */
    static Iterator<Map.Entry<Bytes, Bytes>> breakingAfter30(Iterator<Map.Entry<Bytes, Bytes>> inner) {
        return new Iterator<>() {
            int read;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map.Entry<Bytes, Bytes> next() {
                if (++read > 30) {
                    throw new IllegalStateException("source broke");
                }
                return inner.next();
            }
        };
    }

    @Test
    void anIteratorThatThrowsFailsTheLoadWithItsExceptionOnceTheBatchesSentAreDone() throws Exception {
        Iterator<Map.Entry<Bytes, Bytes>> failing = breakingAfter30(entries("bla-iter/", 100).entrySet().iterator());
        assertThatThrownBy(() -> get(kv.bulkLoader(10, 2).loadAsync(failing)))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("source broke");
        // Reported once the three batches read before it are written: nothing is written after the failure. (A
        // serializable read, which the one member answers from what it has applied, without waiting for writes
        // still in flight as a linearizable read would.)
        assertThat(kv.count(Range.prefix("bla-iter/").serializable())).isEqualTo(30);

        Iterator<Map.Entry<Bytes, Bytes>> blocking = breakingAfter30(
                entries("bla-iter-blocking/", 100).entrySet().iterator());
        assertThatThrownBy(() -> kv.bulkLoader(10, 2).load(blocking)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("source broke");
        assertThat(kv.count(Range.prefix("bla-iter-blocking/").serializable())).isEqualTo(30);
    }
}
