package io.etcdkit.recipes.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkQueueTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    final AtomicLong woken = new AtomicLong();
    EtcdClient client;
    Session session;

    @BeforeEach
    void open() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(new EtcdListener() {
            @Override
            public void queueWaiterWoken(String queue) {
                woken.incrementAndGet();
            }
        }).build();
        session = Session.open(client, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        session.close();
        client.close();
    }

    @Test
    void anItemIsClaimedOnceAndAckedOnce() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "basic"); WorkConsumer consumer = queue.openConsumer(session)) {
            Added added = queue.add(NewItem.of("hello"));
            assertThat(added.duplicate()).isFalse();
            Claim claim = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(claim.id()).isEqualTo(added.id());
            assertThat(claim.payloadAsString()).isEqualTo("hello");
            assertThat(claim.previousAttempts()).isZero();
            assertThat(consumer.claim(Duration.ZERO)).as("a claimed item is invisible to other claims").isEmpty();
            assertThat(queue.stats()).extracting(QueueStats::items, QueueStats::pending, QueueStats::claimed)
                    .containsExactly(1L, 0L, 1L);
            assertThat(consumer.ack(claim)).isTrue();
            assertThat(consumer.ack(claim)).as("a second ack of the same claim changes nothing").isFalse();
            assertThat(queue.stats().items()).isZero();
        }
    }

    @Test
    void aSecondAddWithTheSameDedupKeyIsANoOpWhileTheFirstIsInTheQueue() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "dedup"); WorkConsumer consumer = queue.openConsumer(session)) {
            Added first = queue.add(NewItem.of("one").dedupKey("invoice-42"));
            Added second = queue.add(NewItem.of("two").dedupKey("invoice-42"));
            assertThat(first.duplicate()).isFalse();
            assertThat(second.duplicate()).isTrue();
            assertThat(second.id()).isEqualTo(first.id());
            Claim claim = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(claim.payloadAsString()).isEqualTo("one");
            assertThat(queue.add(NewItem.of("three").dedupKey("invoice-42")).duplicate())
                    .as("still claimed: still a duplicate").isTrue();
            assertThat(consumer.ack(claim)).isTrue();
            assertThat(queue.add(NewItem.of("four").dedupKey("invoice-42")).duplicate())
                    .as("after the ack the key is free again").isFalse();
        }
    }

    @Test
    void addAllAddsABatchInOneTransactionAndReportsDuplicatesPerItem() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "batch"); WorkConsumer consumer = queue.openConsumer(session)) {
            Added existing = queue.add(NewItem.of("old").dedupKey("k1"));
            long before = client.kv().range(Range.key("etcdkit/")).revision();
            List<Added> added = queue.addAll(List.of(NewItem.of("a"), NewItem.of("b").dedupKey("k1"),
                    NewItem.of("c").dedupKey("k2"), NewItem.of("d").dedupKey("k2"), NewItem.of("e")));
            assertThat(added).extracting(Added::duplicate).containsExactly(false, true, false, true, false);
            assertThat(added.get(1).id()).as("a duplicate names the item already queued").isEqualTo(existing.id());
            assertThat(added.get(3).id()).as("the same key twice in one batch: the first wins")
                    .isEqualTo(added.get(2).id());
            assertThat(added.get(0).revision()).as("the items are added in one revision")
                    .isEqualTo(added.get(4).revision()).isEqualTo(added.get(2).revision());
            assertThat(added.get(0).revision() - before).as("one transaction for the batch after the dedup retry")
                    .isEqualTo(1);
            List<String> payloads = new ArrayList<>();
            for (Claim c : consumer.claimBatch(10, Duration.ofSeconds(5))) {
                payloads.add(c.payloadAsString());
                assertThat(consumer.ack(c)).isTrue();
            }
            assertThat(payloads).containsExactlyInAnyOrder("old", "a", "c", "e");
            assertThatThrownBy(() -> queue.addAll(List.of())).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("1 to 32");
            List<NewItem> tooMany = new ArrayList<>();
            for (int i = 0; i <= WorkQueue.MAX_ADD_BATCH; i++) {
                tooMany.add(NewItem.of("x" + i));
            }
            assertThatThrownBy(() -> queue.addAll(tooMany)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("split larger sets into batches");
        }
    }

    @Test
    void consumersOfOneInstanceDoNotCollideOnTheSameItems() throws Exception {
        int consumers = 8;
        int items = 320;
        AtomicLong txns = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try (EtcdClient counted = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(new EtcdListener() {
            @Override
            public io.etcdkit.observe.CallListener callStarted(io.etcdkit.observe.CallInfo call) {
                if (call.write()) {
                    txns.incrementAndGet();
                }
                return io.etcdkit.observe.CallListener.NONE;
            }
        }).build(); Session s = Session.open(counted, Duration.ofSeconds(5));
                WorkQueue queue = WorkQueue.of(counted, "collide")) {
            for (int i = 0; i < items; i += WorkQueue.MAX_ADD_BATCH) {
                List<NewItem> batch = new ArrayList<>();
                for (int j = i; j < i + WorkQueue.MAX_ADD_BATCH; j++) {
                    batch.add(NewItem.of("c" + j));
                }
                queue.addAll(batch);
            }
            WorkConsumer consumer = queue.openConsumer(s);
            Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            long before = txns.get();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                futures.add(pool.submit(() -> {
                    List<Claim> claims;
                    while (!(claims = consumer.claimBatch(8, Duration.ZERO)).isEmpty()) {
                        batches.incrementAndGet();
                        claims.forEach(claim -> assertThat(got.add(claim.id())).isTrue());
                        assertThat(consumer.ackAll(claims)).hasSameSizeAs(claims);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            long writes = txns.get() - before;
            System.out.printf("WORK QUEUE COLLISIONS: %d consumers, %d items, %d batches, %d write transactions%n",
                    consumers, items, batches.get(), writes);
            assertThat(got).hasSize(items);
            // one claim and one ack transaction per batch when no claim transaction fails; a collision costs more
            assertThat(writes).as("claim and ack transactions for %d batches", batches.get())
                    .isEqualTo(2L * batches.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDelayedItemIsInvisibleUntilItsTime() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "delayed"); WorkConsumer consumer = queue.openConsumer(session)) {
            long t0 = System.nanoTime();
            queue.add(NewItem.of("later").delay(Duration.ofMillis(1500)));
            assertThat(consumer.claim(Duration.ofMillis(300))).isEmpty();
            Claim claim = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(claim.payloadAsString()).isEqualTo("later");
            assertThat(ms).as("claimed after the delay, promptly").isBetween(1400L, 3000L);
            assertThat(consumer.ack(claim)).isTrue();
        }
    }

    @Test
    void nackedItemsComeBackWithTheirAttemptCountAndDieAfterTheLimit() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "nack").maxAttempts(3);
                WorkConsumer consumer = queue.openConsumer(session)) {
            String id = queue.add(NewItem.of("poison")).id();
            for (int attempt = 0; attempt < 3; attempt++) {
                Claim claim = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
                assertThat(claim.previousAttempts()).isEqualTo(attempt);
                assertThat(consumer.nack(claim, "boom " + attempt)).isTrue();
            }
            assertThat(consumer.claim(Duration.ZERO)).isEmpty();
            List<DeadLetter> dead = queue.deadLetters(0);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(id);
                assertThat(d.attempts()).isEqualTo(3);
                assertThat(d.lastError()).isEqualTo("boom 2");
                assertThat(d.payload().toStringUtf8()).isEqualTo("poison");
            });
            assertThat(queue.stats()).extracting(QueueStats::items, QueueStats::dead).containsExactly(0L, 1L);
            assertThat(queue.requeue(id)).isTrue();
            Claim again = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(again.previousAttempts()).isZero();
            assertThat(consumer.ack(again)).isTrue();
            assertThat(queue.stats().dead()).isZero();
        }
    }

    @Test
    void aConsumerWhoseSessionDiedCannotAckAndTheItemReturnsWithOneMoreAttempt() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "expiry"); Session doomed = Session.open(client, Duration.ofSeconds(5));
                WorkConsumer stale = queue.openConsumer(doomed); WorkConsumer fresh = queue.openConsumer(session)) {
            queue.add(NewItem.of("job"));
            Claim old = stale.claim(Duration.ofSeconds(5)).orElseThrow();
            client.leases().revoke(doomed.leaseId()); // an outside client ends the lease: the claim key vanishes
            Claim renewed = fresh.claim(Duration.ofSeconds(10)).orElseThrow();
            assertThat(renewed.id()).isEqualTo(old.id());
            assertThat(renewed.previousAttempts()).as("the expired claim counted as a failed delivery").isEqualTo(1);
            assertThat(renewed.lastError()).contains("claim expired");
            assertThat(renewed.token()).isGreaterThan(old.token());
            assertThat(stale.ack(old)).as("the stale holder's ack is fenced out").isFalse();
            assertThat(stale.nack(old, "late")).as("so is its nack").isFalse();
            assertThat(fresh.ack(renewed)).isTrue();
            assertThat(queue.stats().items()).isZero();
        }
    }

    @Test
    void claimsExpiredWhileNobodyWatchedAreReturnedByTheSweep() throws Exception {
        WorkQueue producer = WorkQueue.of(client, "sweep");
        String id = producer.add(NewItem.of("x")).id();
        try (Session doomed = Session.open(client, Duration.ofSeconds(5))) {
            try (WorkQueue q = WorkQueue.of(client, "sweep"); WorkConsumer c = q.openConsumer(doomed)) {
                assertThat(c.claim(Duration.ofSeconds(5))).isPresent();
            }
            client.leases().revoke(doomed.leaseId()); // no watcher open now
            assertThat(producer.stats().orphaned()).isEqualTo(1);
            assertThat(producer.recoverExpiredClaims()).isEqualTo(1);
            assertThat(producer.recoverExpiredClaims()).as("idempotent").isZero();
            assertThat(producer.items(0)).singleElement().satisfies(v -> {
                assertThat(v.id()).isEqualTo(id);
                assertThat(v.attempts()).isEqualTo(1);
                assertThat(v.claimed()).isFalse();
            });
        }
    }

    @Test
    void batchClaimTakesSeveralVisibleItems() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "batch"); WorkConsumer consumer = queue.openConsumer(session)) {
            for (int i = 0; i < 10; i++) {
                queue.add(NewItem.of("i" + i));
            }
            List<Claim> claims = consumer.claimBatch(4, Duration.ofSeconds(5));
            assertThat(claims).hasSize(4).extracting(Claim::id).doesNotHaveDuplicates();
            assertThat(consumer.claimBatch(100, Duration.ZERO)).hasSize(6);
            assertThatThrownBy(() -> consumer.claimBatch(0, Duration.ZERO)).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void idleConsumersWakeOncePerItemNotAsAHerd() throws Exception {
        int consumers = 8;
        int items = 40;
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try (WorkQueue queue = WorkQueue.of(client, "herd")) {
            WorkConsumer consumer = queue.openConsumer(session);
            Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                futures.add(pool.submit(() -> {
                    while (got.size() < items) {
                        Optional<Claim> claim = consumer.claim(Duration.ofMillis(500));
                        if (claim.isPresent()) {
                            got.add(claim.get().id());
                            consumer.ack(claim.get());
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(300); // every consumer is waiting
            long before = woken.get();
            for (int i = 0; i < items; i++) {
                queue.add(NewItem.of("w" + i));
                Thread.sleep(20); // one at a time, so consumers are idle when each arrives
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            long wakeups = woken.get() - before;
            System.out.printf("WORK QUEUE HERD: %d consumers, %d items, %d wake-ups%n", consumers, items, wakeups);
            assertThat(got).hasSize(items);
            assertThat(wakeups).as("at most one wake-up per item, not one per consumer").isBetween(1L, (long) items);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleConsumersInSeveralProcessesWakeOncePerItemNotOncePerProcess() throws Exception {
        int processes = 4; // a client and a queue instance each: one watch each, like separate JVMs
        int consumersEach = 2;
        int items = 40;
        AtomicLong wakeups = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(processes * consumersEach);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Set<String> got = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                EtcdClient c = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(new EtcdListener() {
                    @Override
                    public void queueWaiterWoken(String queue) {
                        wakeups.incrementAndGet();
                    }
                }).build();
                Session s = Session.open(c, Duration.ofSeconds(5));
                WorkQueue q = WorkQueue.of(c, "herd-processes");
                open.addAll(List.of(c, s, q));
                WorkConsumer consumer = q.openConsumer(s);
                for (int k = 0; k < consumersEach; k++) {
                    futures.add(pool.submit(() -> {
                        while (got.size() < items) {
                            Optional<Claim> claim = consumer.claim(Duration.ofMillis(500));
                            if (claim.isPresent()) {
                                assertThat(got.add(claim.get().id())).isTrue();
                                assertThat(consumer.ack(claim.get())).isTrue();
                            }
                        }
                        return null;
                    }));
                }
            }
            try (WorkQueue producer = WorkQueue.of(client, "herd-processes")) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.kv()
                        .count(Range.prefix("etcdkit/workqueue/herd-processes/waiters/")) == processes * consumersEach);
                long before = wakeups.get();
                for (int i = 0; i < items; i++) {
                    producer.add(NewItem.of("w" + i));
                    Thread.sleep(30); // one at a time, so consumers are idle when each arrives
                }
                for (Future<?> f : futures) {
                    f.get(30, TimeUnit.SECONDS);
                }
                long woken = wakeups.get() - before;
                System.out.printf("WORK QUEUE HERD ACROSS PROCESSES: %d processes x %d consumers, %d items, "
                        + "%d wake-ups%n", processes, consumersEach, items, woken);
                assertThat(got).hasSize(items);
                assertThat(woken).as("one wake-up per item among all processes, not one per process")
                        .isBetween(1L, (long) items);
            }
        } finally {
            pool.shutdownNow();
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        assertThatThrownBy(() -> WorkQueue.of(client, "a/b")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("without '/'");
        assertThatThrownBy(() -> NewItem.of("x").delay(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> WorkQueue.of(client, "q").maxAttempts(0)).isInstanceOf(InvalidArgumentException.class);
        assertThat(client.kv().count(Range.prefix("etcdkit/workqueue/q/"))).isZero();
    }
}
