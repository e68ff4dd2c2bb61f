package io.etcdkit.recipes.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DistributedQueueTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    EtcdClient client;

    @BeforeEach
    void open() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void concurrentProducersKeepTheirOrderAndTakesFollowCreateRevisions() throws Exception {
        DistributedQueue queue = DistributedQueue.fifo(client, "q/fifo/");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        queue.put(Bytes.of(producer + ":" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : producers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> byRevision = client.kv().range(Range.prefix("q/fifo/")
                .sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND)).kvs().stream().map(KeyValue::valueAsString)
                .toList();
        assertThat(queue.size()).isEqualTo(400);
        List<String> taken = new ArrayList<>();
        Optional<Bytes> v;
        while ((v = queue.poll()).isPresent()) {
            taken.add(v.get().toStringUtf8());
        }
        assertThat(taken).as("takes follow create revisions exactly").isEqualTo(byRevision);
        Map<String, Integer> last = new HashMap<>();
        for (String s : taken) {
            String[] f = s.split(":");
            int i = Integer.parseInt(f[1]);
            assertThat(i).as("producer %s's order", f[0]).isGreaterThan(last.getOrDefault(f[0], -1));
            last.put(f[0], i);
        }
        assertThat(queue.size()).isZero();
    }

    @Test
    void twoTakersNeverGetTheSameValue() throws Exception {
        DistributedQueue queue = DistributedQueue.fifo(client, "q/race/");
        for (int i = 0; i < 200; i++) {
            queue.put(Bytes.of("v" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> takers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                takers.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    Optional<Bytes> v;
                    while ((v = queue.poll()).isPresent()) {
                        mine.add(v.get().toStringUtf8());
                    }
                    return mine;
                }));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : takers) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(200).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void priorityThenFifo() throws Exception {
        DistributedQueue queue = DistributedQueue.priority(client, "q/prio/");
        queue.put(Bytes.of("low-1"), 1);
        queue.put(Bytes.of("high-1"), 9);
        queue.put(Bytes.of("low-2"), 1);
        queue.put(Bytes.of("high-2"), 9);
        queue.put(Bytes.of("mid"), 5);
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(queue.take(Duration.ofSeconds(5)).orElseThrow().toStringUtf8());
        }
        assertThat(taken).containsExactly("high-1", "high-2", "mid", "low-1", "low-2");
        assertThatThrownBy(() -> queue.put(Bytes.of("x"), 1000)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aBlockingTakeWakesOnAPutAndATimedTakeTimesOut() throws Exception {
        DistributedQueue queue = DistributedQueue.fifo(client, "q/block/");
        long t0 = System.nanoTime();
        assertThat(queue.take(Duration.ofMillis(300))).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290);
        CompletableFuture<Bytes> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        queue.put(Bytes.of("wake"));
        assertThat(taken.get(10, TimeUnit.SECONDS).toStringUtf8()).isEqualTo("wake");
    }

    @Test
    void aBoundedQueueRefusesOrBlocksWhenFull() throws Exception {
        DistributedQueue failing = DistributedQueue.fifo(client, "q/bounded/").bounded(2, WhenFull.FAIL);
        failing.put(Bytes.of("a"));
        failing.put(Bytes.of("b"));
        assertThatThrownBy(() -> failing.put(Bytes.of("c"))).isInstanceOf(QueueFullException.class)
                .hasMessageContaining("capacity 2");
        assertThat(failing.poll().orElseThrow().toStringUtf8()).isEqualTo("a");
        failing.put(Bytes.of("c"));

        DistributedQueue blocking = DistributedQueue.fifo(client, "q/bounded/").bounded(2, WhenFull.BLOCK);
        CompletableFuture<Void> put = CompletableFuture.runAsync(() -> {
            try {
                blocking.put(Bytes.of("d"), 0, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(put).as("blocked while full").isNotDone();
        assertThat(blocking.poll().orElseThrow().toStringUtf8()).isEqualTo("b");
        put.get(10, TimeUnit.SECONDS);
        assertThat(blocking.size()).isEqualTo(2);
        assertThatThrownBy(() -> blocking.put(Bytes.of("e"), 0, Duration.ofMillis(200)))
                .isInstanceOf(QueueFullException.class).hasMessageContaining("no room within");
        assertThatThrownBy(() -> failing.bounded(0, WhenFull.FAIL)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void blockedTakersOfOneInstanceWakeOncePerValueNotAsAHerd() throws Exception {
        int takers = 6;
        int values = 30;
        java.util.concurrent.atomic.AtomicLong woken = new java.util.concurrent.atomic.AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try (EtcdClient counted = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .listener(new io.etcdkit.observe.EtcdListener() {
                    @Override
                    public void queueWaiterWoken(String queue) {
                        woken.incrementAndGet();
                    }
                }).build()) {
            DistributedQueue queue = DistributedQueue.fifo(counted, "q/herd/");
            java.util.Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < takers; t++) {
                futures.add(pool.submit(() -> {
                    while (got.size() < values) {
                        queue.take(Duration.ofMillis(500)).ifPresent(v -> assertThat(got.add(v.toStringUtf8())).isTrue());
                    }
                    return null;
                }));
            }
            Thread.sleep(300); // every taker is waiting
            for (int i = 0; i < values; i++) {
                DistributedQueue.fifo(client, "q/herd/").put(Bytes.of("v" + i));
                Thread.sleep(20);
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            System.out.printf("QUEUE HERD: %d takers, %d values, %d wake-ups%n", takers, values, woken.get());
            assertThat(got).hasSize(values);
            assertThat(woken.get()).as("at most one wake-up per value, not one per blocked taker")
                    .isBetween(1L, (long) values);
        } finally {
            pool.shutdownNow();
        }
    }
}
