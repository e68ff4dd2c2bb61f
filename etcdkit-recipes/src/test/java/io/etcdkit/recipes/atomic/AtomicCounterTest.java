package io.etcdkit.recipes.atomic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class AtomicCounterTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static String uniqueKey() {
        return "counters/" + UUID.randomUUID();
    }

    @Test
    void missingKeyCountsAsZero() {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey());

        assertThat(counter.get()).isZero();
        assertThat(client.kv().exists(counter.key())).isFalse();
        assertThat(counter.incrementAndGet()).isEqualTo(1);
    }

    @Test
    void arithmeticFollowsAtomicLong() {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey());

        assertThat(counter.incrementAndGet()).isEqualTo(1);
        assertThat(counter.addAndGet(10)).isEqualTo(11);
        assertThat(counter.getAndAdd(5)).isEqualTo(11);
        assertThat(counter.decrementAndGet()).isEqualTo(15);
        assertThat(counter.updateAndGet(v -> v * 2)).isEqualTo(30);
        counter.set(-7);
        assertThat(counter.get()).isEqualTo(-7);
        counter.set(Long.MAX_VALUE);
        assertThat(counter.incrementAndGet()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void compareAndSetWritesOnlyWhenTheExpectationHolds() {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey());

        assertThat(counter.compareAndSet(0, 5)).as("a missing key is 0").isTrue();
        assertThat(counter.compareAndSet(4, 9)).isFalse();
        assertThat(counter.get()).isEqualTo(5);
        long markerRevision = client.kv().get(counter.markerKey()).orElseThrow().modRevision();
        assertThat(counter.compareAndSet(4, 9)).isFalse();
        assertThat(client.kv().get(counter.markerKey()).orElseThrow().modRevision())
                .as("a failed compareAndSet writes nothing").isEqualTo(markerRevision);
        assertThat(counter.compareAndSet(5, 9)).isTrue();
        assertThat(counter.get()).isEqualTo(9);
    }

    @Test
    void valueIsDecimalTextAndMarkerHoldsAnOperationId() {
        String key = uniqueKey();
        AtomicCounter counter = AtomicCounter.of(client, key);
        counter.addAndGet(42);

        KeyValue value = client.kv().get(key).orElseThrow();
        KeyValue marker = client.kv().get(key + "/.last-op").orElseThrow();
        assertThat(value.valueAsString()).isEqualTo("42");
        assertThat(counter.markerKey().toStringUtf8()).isEqualTo(key + "/.last-op");
        assertThat(marker.modRevision()).as("written in the same transaction").isEqualTo(value.modRevision());
        assertThat(UUID.fromString(marker.valueAsString())).isNotNull();
    }

    @Test
    void customMarkerKeyIsUsed() {
        String key = uniqueKey();
        AtomicCounter counter = AtomicCounter.of(client, key).markerKey("ops/" + key);
        counter.incrementAndGet();

        assertThat(client.kv().exists("ops/" + key)).isTrue();
        assertThat(client.kv().exists(key + "/.last-op")).isFalse();
    }

    @Test
    void plainPutByAnotherToolIsRespected() {
        String key = uniqueKey();
        AtomicCounter counter = AtomicCounter.of(client, key);
        counter.incrementAndGet();

        client.kv().put(key, "100"); // as `etcdctl put` would

        assertThat(counter.incrementAndGet()).isEqualTo(101);
    }

    @Test
    void malformedValueIsATypedErrorAndNothingIsWritten() {
        String key = uniqueKey();
        client.kv().put(key, "forty-two");
        AtomicCounter counter = AtomicCounter.of(client, key);

        assertThatThrownBy(counter::incrementAndGet)
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("forty-two");
        assertThatThrownBy(counter::get).isInstanceOf(ValueDecodingException.class);
        assertThat(client.kv().get(key).orElseThrow().valueAsString()).isEqualTo("forty-two");
        assertThat(client.kv().exists(counter.markerKey())).isFalse();
    }

    @Test
    void functionThatThrowsWritesNothing() {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey());
        counter.set(3);

        assertThatThrownBy(() -> counter.updateAndGet(v -> {
            throw new IllegalStateException("refused");
        })).isInstanceOf(IllegalStateException.class).hasMessage("refused");
        assertThat(counter.get()).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheRetryLimitWithoutWriting() {
        String key = uniqueKey();
        AtomicInteger calls = new AtomicInteger();
        AtomicCounter counter = AtomicCounter.of(client, key).retries(2);

        // Every attempt sees another writer come first.
        assertThatThrownBy(() -> counter.updateAndGet(v -> {
            client.kv().put(key, Long.toString(1000 + calls.incrementAndGet()));
            return v + 1;
        })).isInstanceOfSatisfying(CounterContentionException.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.getMessage()).contains(key).contains("retry limit of 2").contains("Nothing was written");
        });
        assertThat(calls).hasValue(3);
        assertThat(counter.get()).as("only the other writer's value").isEqualTo(1003);
    }

    @Test
    void givesUpAtTheDeadline() {
        String key = uniqueKey();
        AtomicCounter counter = AtomicCounter.of(client, key).retries(1_000_000)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(20)).deadline(Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> counter.updateAndGet(v -> {
            client.kv().put(key, "7");
            return v + 1;
        })).isInstanceOf(CounterContentionException.class).hasMessageContaining("deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void asyncFormsComplete() throws Exception {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey());

        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(counter.incrementAndGetAsync());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(all).extracting(CompletableFuture::join).doesNotHaveDuplicates();
        assertThat(counter.getAsync().get(5, TimeUnit.SECONDS)).isEqualTo(20);
        assertThat(counter.compareAndSetAsync(20, 0).get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void eightThreadsOfTwoHundredIncrementsCountExactly() throws Exception {
        AtomicCounter counter = AtomicCounter.of(client, uniqueKey()).retries(10_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    List<Long> seen = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        seen.add(counter.incrementAndGet());
                    }
                    return seen;
                }));
            }
            List<Long> returned = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                returned.addAll(f.get(25, TimeUnit.SECONDS));
            }

            assertThat(counter.get()).isEqualTo(1600);
            assertThat(returned).as("each increment returns the value it wrote").doesNotHaveDuplicates()
                    .allMatch(v -> v >= 1 && v <= 1600);
        } finally {
            pool.shutdownNow();
        }
    }
}
