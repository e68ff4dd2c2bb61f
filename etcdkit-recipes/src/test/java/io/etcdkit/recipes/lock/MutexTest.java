package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fair mutex against a real member. */
class MutexTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static EtcdClient client;
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        client.close();
    }

    static Session session() {
        return Session.open(client, Duration.ofSeconds(5));
    }

    @Test
    void lockAndUnlockWithAGrowingFencingToken() throws Exception {
        try (Session s = session()) {
            Mutex m = Mutex.of(s, "mx/basic");
            long first;
            try (HeldLock held = m.lock()) {
                first = held.fencingToken();
                assertThat(m.isHeld()).isTrue();
                assertThat(Mutex.of(s, "mx/basic")).as("the instance in use while held").isSameAs(m);
                assertThat(Mutex.of(s, "mx/basic").fencingToken()).isEqualTo(first);
                assertThat(held.key().toStringUtf8()).isEqualTo("mx/basic/" + Long.toHexString(s.leaseId()));
                assertThat(client.kv().get(held.key())).isPresent();
            }
            assertThat(m.isHeld()).isFalse();
            assertThat(client.kv().count(Range.prefix("mx/basic/"))).isZero();
            try (HeldLock again = m.lock()) {
                assertThat(again.fencingToken()).isGreaterThan(first);
            }
            m.unlock(); // idempotent
        }
    }

    @Test
    void aWaiterWhoseKeyWasDeletedIsNotGivenTheLockWhenItsTurnComes() throws Exception {
        try (Session a = session(); Session b = session()) {
            HeldLock held = Mutex.of(a, "mx/gone").lock();
            Future<HeldLock> waiting = pool.submit(() -> Mutex.of(b, "mx/gone").lock(Duration.ofSeconds(20)));
            String bKey = "mx/gone/" + Long.toHexString(b.leaseId());
            await("b queued").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> client.kv().get(bKey).isPresent());
            client.kv().delete(bKey); // by hand: b's place in line is gone, its session is not
            held.close();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(io.etcdkit.recipes.session.SessionExpiredException.class)
                    .hasMessageContaining("vanished while waiting");
            assertThat(Mutex.of(b, "mx/gone").isHeld()).isFalse();
            assertThat(client.kv().count(Range.prefix("mx/gone/"))).isZero();
        }
    }

    @Test
    void tryLockFailsWhileAnotherSessionHoldsAndLeavesNoKey() throws Exception {
        try (Session a = session(); Session b = session()) {
            try (HeldLock held = Mutex.of(a, "mx/try").lock()) {
                assertThat(Mutex.of(b, "mx/try").tryLock()).isEmpty();
                long start = System.nanoTime();
                assertThat(Mutex.of(b, "mx/try").tryLock(Duration.ofMillis(300))).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
                assertThatThrownBy(() -> Mutex.of(b, "mx/try").lock(Duration.ofMillis(100)))
                        .isInstanceOf(LockTimeoutException.class);
                assertThat(client.kv().count(Range.prefix("mx/try/"))).as("only the holder's key").isEqualTo(1);
            }
            assertThat(Mutex.of(b, "mx/try").tryLock()).isPresent();
            Mutex.of(b, "mx/try").unlock();
        }
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        try (Session holder = session(); Session w1 = session(); Session w2 = session(); Session w3 = session()) {
            HeldLock held = Mutex.of(holder, "mx/fifo").lock();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> futures = new ArrayList<>();
            int i = 0;
            for (Session w : List.of(w1, w2, w3)) {
                String name = "w" + (++i);
                futures.add(pool.submit(() -> {
                    try (HeldLock h = Mutex.of(w, "mx/fifo").lock()) {
                        order.add(name);
                    }
                    return null;
                }));
                awaitKeys("mx/fifo/", i + 1);
            }
            held.close();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly("w1", "w2", "w3");
        }
    }

    static void awaitKeys(String prefix, long n) throws InterruptedException {
        await("keys under " + prefix).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> client.kv().count(Range.prefix(prefix)) >= n);
    }

    @Test
    void notReEntrantButSafeFromManyThreads() throws Exception {
        try (Session s = session()) {
            Mutex m = Mutex.of(s, "mx/threads");
            try (HeldLock held = m.lock()) {
                assertThatThrownBy(m::lock).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not re-entrant");
            }
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        try (HeldLock h = m.lock()) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            inside.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(maxInside.get()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedWaiterGivesUpItsPlace() throws Exception {
        try (Session a = session(); Session b = session()) {
            HeldLock held = Mutex.of(a, "mx/interrupt").lock();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    Mutex.of(b, "mx/interrupt").lock();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            waiter.start();
            awaitKeys("mx/interrupt/", 2);
            waiter.interrupt();
            Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
            if (thrown != null) {
                thrown.printStackTrace(System.out);
            }
            assertThat(thrown).isInstanceOf(InterruptedException.class);
            assertThat(client.kv().count(Range.prefix("mx/interrupt/"))).isEqualTo(1);
            held.close();
        }
    }

    @Test
    void closingTheHoldersSessionReleasesTheLock() throws Exception {
        Session a = session();
        try (Session b = session()) {
            Mutex.of(a, "mx/release").lock();
            Future<HeldLock> waiting = pool.submit(() -> Mutex.of(b, "mx/release").lock());
            awaitKeys("mx/release/", 2);
            a.close();
            HeldLock got = waiting.get(10, TimeUnit.SECONDS);
            assertThat(got.key().toStringUtf8()).endsWith(Long.toHexString(b.leaseId()));
            got.close();
        }
    }

    @Test
    void aStaleHoldersGuardedWriteIsRefused() throws Exception {
        Session a = session();
        try (Session b = session()) {
            HeldLock stale = Mutex.of(a, "mx/guard").lock();
            assertThat(client.kv().commit(Transaction.when(stale.guard()).then(Put.of("mx-guarded", "a")))
                    .succeeded()).isTrue();
            client.leases().revoke(a.leaseId()); // the holder's lease is lost behind its back
            HeldLock fresh = Mutex.of(b, "mx/guard").lock(Duration.ofSeconds(10));
            assertThat(fresh.fencingToken()).isGreaterThan(stale.fencingToken());
            assertThat(client.kv().commit(Transaction.when(stale.guard()).then(Put.of("mx-guarded", "stale")))
                    .succeeded()).as("stale holder's write").isFalse();
            assertThat(client.kv().commit(Transaction.when(fresh.guard()).then(Put.of("mx-guarded", "b")))
                    .succeeded()).isTrue();
            assertThat(client.kv().get("mx-guarded").orElseThrow().valueAsString()).isEqualTo("b");
            fresh.close();
            a.close();
        }
    }

    @Test
    void excludesEtcdctlLockAndIsExcludedByIt() throws Exception {
        String etcdctl = "etcdctl";
        try (Session s = session()) {
            // etcdctl holds: the Java mutex cannot get it until the command ends.
            Process p = new ProcessBuilder(etcdctl, "--endpoints=" + ETCD.clientEndpointsString(), "lock",
                    "mx/interop", "--", "sh", "-c", "echo acquired; sleep 2").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(readLineWithin(out, Duration.ofSeconds(10))).contains("acquired");
            Mutex m = Mutex.of(s, "mx/interop");
            assertThat(m.tryLock()).as("Java lock while etcdctl holds it").isEmpty();
            try (HeldLock held = m.lock(Duration.ofSeconds(15))) {
                assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
                // Java holds: etcdctl must wait.
                Process q = new ProcessBuilder(etcdctl, "--endpoints=" + ETCD.clientEndpointsString(), "lock",
                        "mx/interop", "--", "echo", "etcdctl-got-it").redirectErrorStream(true).start();
                BufferedReader qout = new BufferedReader(new InputStreamReader(q.getInputStream(),
                        StandardCharsets.UTF_8));
                CountDownLatch printed = new CountDownLatch(1);
                pool.submit(() -> {
                    String line;
                    while ((line = qout.readLine()) != null) {
                        if (line.contains("etcdctl-got-it")) {
                            printed.countDown();
                        }
                    }
                    return null;
                });
                assertThat(printed.await(1500, TimeUnit.MILLISECONDS)).as("etcdctl got the lock Java holds")
                        .isFalse();
                held.close();
                assertThat(printed.await(10, TimeUnit.SECONDS)).as("etcdctl gets it after Java unlocks").isTrue();
                assertThat(q.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    static Optional<String> readLineWithin(BufferedReader reader, Duration timeout) throws Exception {
        Future<String> line = pool.submit(reader::readLine);
        return Optional.ofNullable(line.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
}
