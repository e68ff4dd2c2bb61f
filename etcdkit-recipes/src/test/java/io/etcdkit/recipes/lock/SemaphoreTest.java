package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.RecordingListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.SemaphoreChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The counting semaphore against a real three-member cluster, with crashes and a leader kill. */
class SemaphoreTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static EtcdClient client;
    static final RecordingListener SEEN = new RecordingListener();
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(SEEN).build();
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        client.close();
    }

    static Session session() {
        return Session.open(client, Duration.ofSeconds(5));
    }

    static long keys(String prefix) {
        return client.kv().count(Range.prefix(prefix));
    }

    static void awaitKeys(String prefix, long n) throws InterruptedException {
        await("keys under " + prefix).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> keys(prefix) >= n);
    }

    @Test
    void theLimitIsStoredInEtcdAndAnotherNumberIsAnError() {
        try (Session a = session(); Session b = session()) {
            Semaphore sem = Semaphore.of(a, "sem/limit", 3);
            assertThat(Semaphore.of(a, "sem/limit", 3)).isSameAs(sem);
            assertThat(client.kv().get("sem/limit/limit").orElseThrow().valueAsString()).isEqualTo("3");
            assertThatThrownBy(() -> Semaphore.of(b, "sem/limit", 4))
                    .isInstanceOf(SemaphoreLimitMismatchException.class)
                    .hasMessageContaining("has 3 permits stored").hasMessageContaining("asked for 4");
            assertThatThrownBy(() -> Semaphore.of(a, "sem/limit", 5))
                    .isInstanceOf(SemaphoreLimitMismatchException.class);
            assertThat(Semaphore.of(b, "sem/limit", 3).permits()).isEqualTo(3);
            assertThatThrownBy(() -> Semaphore.of(b, "sem/zero", 0)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("at least 1 permit");
        }
    }

    @Test
    void aChangedStoredLimitStopsAcquisitionsWithAClearError() throws Exception {
        try (Session a = session()) {
            Semaphore sem = Semaphore.of(a, "sem/changed", 2);
            client.kv().put("sem/changed/limit", "7"); // someone rewrote it behind our back
            assertThatThrownBy(sem::acquire).isInstanceOf(SemaphoreLimitMismatchException.class)
                    .hasMessageContaining("has 7 permits stored");
            assertThat(keys("sem/changed/queue/")).as("nothing was queued").isZero();
            client.kv().delete("sem/changed/limit"); // deleted: the next acquisition stores it again
            try (Permit p = sem.acquire()) {
                assertThat(client.kv().get("sem/changed/limit").orElseThrow().valueAsString()).isEqualTo("2");
            }
        }
    }

    @Test
    void availablePermitsFollowsHoldersAndTryAcquireNeverWaits() throws Exception {
        try (Session a = session(); Session b = session(); Session c = session()) {
            Semaphore sa = Semaphore.of(a, "sem/avail", 2);
            assertThat(sa.availablePermits()).isEqualTo(2);
            Permit pa = sa.acquire();
            assertThat(pa.key().toStringUtf8()).isEqualTo("sem/avail/queue/" + Long.toHexString(a.leaseId()));
            assertThat(sa.isHeld()).isTrue();
            assertThat(sa.availablePermits()).isEqualTo(1);
            Permit pb = Semaphore.of(b, "sem/avail", 2).tryAcquire().orElseThrow();
            assertThat(pb.fencingToken()).isGreaterThan(pa.fencingToken());
            assertThat(sa.availablePermits()).isZero();
            long start = System.nanoTime();
            assertThat(Semaphore.of(c, "sem/avail", 2).tryAcquire()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(keys("sem/avail/queue/")).as("the failed try left no key").isEqualTo(2);
            pa.close();
            pa.close(); // idempotent
            assertThat(sa.isHeld()).isFalse();
            assertThat(sa.availablePermits()).isEqualTo(1);
            Semaphore.of(c, "sem/avail", 2).tryAcquire().orElseThrow().close();
            pb.close();
            assertThat(sa.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void onePermitPerSessionAndNotReEntrant() throws Exception {
        try (Session s = session()) {
            Semaphore sem = Semaphore.of(s, "sem/reentry", 2);
            try (Permit p = sem.acquire()) {
                assertThatThrownBy(sem::acquire).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("at most one permit");
                // Another thread of the same session waits for this one's permit, even though one is free.
                Future<Optional<Permit>> other = pool.submit(() -> sem.tryAcquire(Duration.ofMillis(300)));
                assertThat(other.get(5, TimeUnit.SECONDS)).isEmpty();
                assertThat(keys("sem/reentry/queue/")).isEqualTo(1);
            }
        }
    }

    @Test
    void timeoutsAndInterruptsRemoveTheWaitersKey() throws Exception {
        try (Session a = session(); Session b = session()) {
            Permit held = Semaphore.of(a, "sem/timeout", 1).acquire();
            long start = System.nanoTime();
            assertThat(Semaphore.of(b, "sem/timeout", 1).tryAcquire(Duration.ofMillis(300))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(keys("sem/timeout/queue/")).isEqualTo(1);

            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    Semaphore.of(b, "sem/timeout", 1).acquire();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            waiter.start();
            awaitKeys("sem/timeout/queue/", 2);
            waiter.interrupt();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(keys("sem/timeout/queue/")).isEqualTo(1);
            held.close();
            assertThat(Semaphore.of(b, "sem/timeout", 1).tryAcquire()).as("usable after the interrupt").isPresent();
            Semaphore.of(b, "sem/timeout", 1).release();
        }
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        try (Session h1 = session(); Session h2 = session(); Session w1 = session(); Session w2 = session();
                Session w3 = session()) {
            Permit first = Semaphore.of(h1, "sem/fifo", 2).acquire();
            Permit second = Semaphore.of(h2, "sem/fifo", 2).acquire();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> futures = new ArrayList<>();
            int i = 0;
            for (Session w : List.of(w1, w2, w3)) {
                String name = "w" + (++i);
                futures.add(pool.submit(() -> {
                    try (Permit p = Semaphore.of(w, "sem/fifo", 2).acquire()) {
                        order.add(name);
                    }
                    return null;
                }));
                awaitKeys("sem/fifo/queue/", 2 + i);
            }
            first.close(); // one permit frees and passes down the line; `second` keeps the other
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly("w1", "w2", "w3");
            second.close();
        }
    }

    @Test
    void aReleaseWakesTheFirstWaitersNotTheHerd() throws Exception {
        List<Session> waiters = new ArrayList<>();
        try (Session h1 = session(); Session h2 = session()) {
            Permit first = Semaphore.of(h1, "sem/herd", 2).acquire();
            Semaphore.of(h2, "sem/herd", 2).acquire();
            List<Future<Permit>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Session w = session();
                waiters.add(w);
                futures.add(pool.submit(() -> Semaphore.of(w, "sem/herd", 2).acquire()));
                awaitKeys("sem/herd/queue/", 3 + i);
            }
            Thread.sleep(300); // every waiter is watching now
            long wakeups = SEEN.wakeUps();
            long reads = SEEN.reads();
            first.close();
            futures.get(0).get(10, TimeUnit.SECONDS);
            Thread.sleep(300); // let any herd show itself
            // The first waiter wakes and is admitted; it touches its key, which wakes the next one, now first.
            assertThat(SEEN.wakeUps() - wakeups).as("wake-ups for one release").isBetween(1L, 3L);
            assertThat(SEEN.reads() - reads).as("checks for one release").isBetween(1L, 3L);
            for (int i = 1; i < futures.size(); i++) {
                assertThat(futures.get(i).isDone()).as("waiter " + i).isFalse();
            }
        } finally {
            waiters.forEach(Session::close);
        }
    }

    @Test
    void neverOverTheLimitUnderContention() throws Exception {
        SemaphoreChecker checker = new SemaphoreChecker(3);
        List<Session> sessions = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                Session s = session();
                sessions.add(s);
                String holder = "s" + i;
                futures.add(pool.submit(() -> {
                    Semaphore sem = Semaphore.of(s, "sem/contention", 3);
                    for (int c = 0; c < 12; c++) {
                        Permit p = sem.tryAcquire(Duration.ofSeconds(20)).orElseThrow();
                        checker.entered(holder);
                        Thread.sleep(10 + ThreadLocalRandom.current().nextInt(10));
                        checker.left(holder);
                        p.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            sessions.forEach(Session::close);
        }
        SemaphoreChecker.Report report = checker.check();
        report.assertClean();
        assertThat(report.maxConcurrent()).as("the test reached the limit").isEqualTo(3);
        assertThat(keys("sem/contention/queue/")).isZero();
    }

    @Test
    void aCrashedHoldersPermitIsFreeWithinItsTtlPlusOneSecond() throws Exception {
        SemaphoreChecker checker = new SemaphoreChecker(2);
        // Its own client: closing it stops the keep-alives without revoking, as a crash would.
        EtcdClient doomed = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        Session crashed = Session.open(doomed, Duration.ofSeconds(2));
        try (Session b = session(); Session w = session()) {
            Permit stale = Semaphore.of(crashed, "sem/crash", 2).acquire();
            checker.entered("crashed");
            Semaphore.of(b, "sem/crash", 2).acquire();
            checker.entered("b");
            Future<Permit> waiter = pool.submit(() -> {
                Permit p = Semaphore.of(w, "sem/crash", 2).acquire();
                checker.entered("w");
                return p;
            });
            awaitKeys("sem/crash/queue/", 3);
            assertThat(Semaphore.of(b, "sem/crash", 2).availablePermits()).isZero();
            checker.left("crashed");
            long killed = System.nanoTime();
            doomed.close();
            Permit got = waiter.get(10, TimeUnit.SECONDS);
            Duration freedAfter = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(freedAfter).as("permit free again").isLessThanOrEqualTo(crashed.ttl().plusSeconds(1));
            assertThat(got.fencingToken()).isGreaterThan(stale.fencingToken());
            assertThat(client.kv().commit(Transaction.when(stale.guard()).then(Put.of("sem-guarded", "stale")))
                    .succeeded()).as("the crashed holder's guarded write").isFalse();
            assertThat(client.kv().commit(Transaction.when(got.guard()).then(Put.of("sem-guarded", "w")))
                    .succeeded()).isTrue();
            checker.check().assertClean();
        }
    }

    @Test
    void neverOverTheLimitWhenTheLeaderIsKilledDuringContention() throws Exception {
        SemaphoreChecker checker = new SemaphoreChecker(3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acquisitions = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Session> sessions = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        EtcdMember killed = null;
        try {
            for (int i = 0; i < 8; i++) {
                Session s = session();
                sessions.add(s);
                String holder = "s" + i;
                futures.add(pool.submit(() -> {
                    Semaphore sem = Semaphore.of(s, "sem/failover", 3);
                    while (!stop.get()) {
                        Optional<Permit> p;
                        try {
                            p = sem.tryAcquire(Duration.ofSeconds(5));
                        } catch (EtcdException e) {
                            failures.incrementAndGet(); // e.g. no leader for a moment: nothing is held
                            Thread.sleep(50);
                            continue;
                        }
                        if (p.isEmpty()) {
                            continue;
                        }
                        checker.entered(holder);
                        acquisitions.incrementAndGet();
                        Thread.sleep(20 + ThreadLocalRandom.current().nextInt(20)); // long: permits stay busy
                        checker.left(holder);
                        releaseWithin(p.get(), Duration.ofSeconds(15));
                    }
                    return null;
                }));
            }
            Thread.sleep(1000);
            int before = acquisitions.get();
            killed = ETCD.cluster().leader();
            killed.kill();
            int atKill = acquisitions.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Thread.sleep(2000); // the old leader stays down for a while: contention goes on without it
            while (acquisitions.get() < atKill + 10 && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            int withoutOldLeader = acquisitions.get() - atKill;
            killed.start();
            killed = null;
            Thread.sleep(1000);
            stop.set(true);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(before).as("acquisitions before the kill").isPositive();
            assertThat(withoutOldLeader).as("acquisitions with the old leader dead").isGreaterThanOrEqualTo(10);
            SemaphoreChecker.Report report = checker.check();
            report.assertClean();
            assertThat(report.maxConcurrent()).as("the test reached the limit").isEqualTo(3);
        } finally {
            stop.set(true);
            if (killed != null) {
                killed.start();
            }
            sessions.forEach(Session::close);
        }
        assertThat(keys("sem/failover/queue/")).isZero();
    }

    static void releaseWithin(Permit permit, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                permit.close();
                return;
            } catch (EtcdException e) {
                if (System.nanoTime() - end > 0) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
