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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fair read-write lock against a real member. */
class ReadWriteLockTest {
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

    static long keys(String prefix) {
        return client.kv().count(Range.prefix(prefix));
    }

    static void awaitKeys(String prefix, long n) throws InterruptedException {
        await("keys under " + prefix).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> keys(prefix) >= n);
    }

    @Test
    void twoReadersHoldTogetherWithTheirOwnKeysAndTokens() throws Exception {
        try (Session a = session(); Session b = session()) {
            ReadWriteLock rw = ReadWriteLock.of(a, "rw/share");
            assertThat(ReadWriteLock.of(a, "rw/share")).isSameAs(rw);
            HeldLock ra = rw.readLock().lock(Duration.ofSeconds(5));
            HeldLock rb = ReadWriteLock.of(b, "rw/share").readLock().lock(Duration.ofSeconds(5));
            assertThat(ra.key().toStringUtf8()).isEqualTo("rw/share/read/" + Long.toHexString(a.leaseId()));
            assertThat(rb.key().toStringUtf8()).isEqualTo("rw/share/read/" + Long.toHexString(b.leaseId()));
            assertThat(rb.fencingToken()).isGreaterThan(ra.fencingToken());
            assertThat(rw.readLock().isHeld()).isTrue();
            assertThat(rw.writeLock().isHeld()).isFalse();
            ra.close();
            rb.close();
            ra.close(); // idempotent
            assertThat(keys("rw/share/")).isZero();
        }
    }

    @Test
    void aWriterExcludesReadersAndWriters() throws Exception {
        try (Session w = session(); Session r = session(); Session w2 = session()) {
            try (HeldLock held = ReadWriteLock.of(w, "rw/excl").writeLock().lock()) {
                assertThat(held.key().toStringUtf8()).isEqualTo("rw/excl/write/" + Long.toHexString(w.leaseId()));
                assertThat(ReadWriteLock.of(r, "rw/excl").readLock().tryLock()).as("reader while written").isEmpty();
                assertThat(ReadWriteLock.of(w2, "rw/excl").writeLock().tryLock()).as("2nd writer").isEmpty();
                assertThat(ReadWriteLock.of(r, "rw/excl").readLock().tryLock(Duration.ofMillis(200))).isEmpty();
                assertThat(keys("rw/excl/")).as("only the writer's key").isEqualTo(1);
            }
            HeldLock read = ReadWriteLock.of(r, "rw/excl").readLock().tryLock().orElseThrow();
            assertThat(ReadWriteLock.of(w2, "rw/excl").writeLock().tryLock()).as("writer while read").isEmpty();
            assertThatThrownBy(() -> ReadWriteLock.of(w2, "rw/excl").writeLock().lock(Duration.ofMillis(200)))
                    .isInstanceOf(LockTimeoutException.class).hasMessageContaining("write lock 'rw/excl'");
            read.close();
            ReadWriteLock.of(w2, "rw/excl").writeLock().tryLock().orElseThrow().close();
            assertThat(keys("rw/excl/")).isZero();
        }
    }

    @Test
    void aWriterQueuedBeforeAReaderIsServedFirst() throws Exception {
        try (Session r1 = session(); Session w = session(); Session r2 = session()) {
            HeldLock first = ReadWriteLock.of(r1, "rw/fair").readLock().lock();
            List<String> order = Collections.synchronizedList(new ArrayList<>());
            Future<?> writer = pool.submit(() -> {
                try (HeldLock h = ReadWriteLock.of(w, "rw/fair").writeLock().lock()) {
                    order.add("writer in");
                    Thread.sleep(300);
                    order.add("writer out");
                }
                return null;
            });
            awaitKeys("rw/fair/write/", 1);
            Future<?> reader = pool.submit(() -> {
                try (HeldLock h = ReadWriteLock.of(r2, "rw/fair").readLock().lock()) {
                    order.add("reader in");
                }
                return null;
            });
            awaitKeys("rw/fair/read/", 2);
            // The late reader must not slip past the waiting writer although only readers hold the lock.
            assertThatThrownBy(() -> reader.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            first.close();
            writer.get(10, TimeUnit.SECONDS);
            reader.get(10, TimeUnit.SECONDS);
            assertThat(order).containsExactly("writer in", "writer out", "reader in");
        }
    }

    @Test
    void timeoutsAndInterruptsRemoveTheWaitersKey() throws Exception {
        try (Session a = session(); Session b = session()) {
            HeldLock write = ReadWriteLock.of(a, "rw/timeout").writeLock().lock();
            long start = System.nanoTime();
            assertThat(ReadWriteLock.of(b, "rw/timeout").readLock().tryLock(Duration.ofMillis(300))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
            assertThat(keys("rw/timeout/read/")).isZero();
            write.close();

            HeldLock read = ReadWriteLock.of(a, "rw/timeout").readLock().lock();
            assertThat(ReadWriteLock.of(b, "rw/timeout").writeLock().tryLock(Duration.ofMillis(300))).isEmpty();
            assertThat(keys("rw/timeout/write/")).isZero();

            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    ReadWriteLock.of(b, "rw/timeout").writeLock().lock();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            waiter.start();
            awaitKeys("rw/timeout/write/", 1);
            waiter.interrupt();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(keys("rw/timeout/write/")).isZero();
            read.close();
            assertThat(ReadWriteLock.of(b, "rw/timeout").writeLock().tryLock()).as("usable after the interrupt")
                    .isPresent();
            ReadWriteLock.of(b, "rw/timeout").writeLock().unlock();
        }
    }

    @Test
    void closingTheWritersSessionReleasesItToTheWaitingReaders() throws Exception {
        Session w = session();
        try (Session r1 = session(); Session r2 = session()) {
            ReadWriteLock.of(w, "rw/close").writeLock().lock();
            Future<HeldLock> a = pool.submit(() -> ReadWriteLock.of(r1, "rw/close").readLock().lock());
            Future<HeldLock> b = pool.submit(() -> ReadWriteLock.of(r2, "rw/close").readLock().lock());
            awaitKeys("rw/close/read/", 2);
            w.close();
            HeldLock ha = a.get(10, TimeUnit.SECONDS);
            HeldLock hb = b.get(10, TimeUnit.SECONDS);
            assertThat(keys("rw/close/")).as("both readers hold, the writer is gone").isEqualTo(2);
            ha.close();
            hb.close();
        }
    }

    @Test
    void anExpiredReadersLockFreesTheWriterAndItsGuardFails() throws Exception {
        // A separate client whose close stops the keep-alives without revoking: the lease expires on its own.
        EtcdClient doomed = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        Session crashed = Session.open(doomed, Duration.ofSeconds(2));
        try (Session w = session()) {
            HeldLock stale = ReadWriteLock.of(crashed, "rw/expire").readLock().lock();
            Future<HeldLock> writer = pool.submit(() -> ReadWriteLock.of(w, "rw/expire").writeLock().lock());
            awaitKeys("rw/expire/write/", 1);
            long killed = System.nanoTime();
            doomed.close();
            HeldLock fresh = writer.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("freed within TTL + 1 s")
                    .isLessThanOrEqualTo(crashed.ttl().plusSeconds(1));
            assertThat(fresh.fencingToken()).isGreaterThan(stale.fencingToken());
            assertThat(client.kv().commit(Transaction.when(stale.guard()).then(Put.of("rw-guarded", "stale")))
                    .succeeded()).as("the expired reader's guarded write").isFalse();
            assertThat(client.kv().commit(Transaction.when(fresh.guard()).then(Put.of("rw-guarded", "w")))
                    .succeeded()).isTrue();
            fresh.close();
        }
    }

    @Test
    void asyncSidesShareAndExcludeLikeTheBlockingOnes() throws Exception {
        try (Session r1 = session(); Session r2 = session(); Session w = session()) {
            HeldLock a = ReadWriteLock.of(r1, "arw").readLock().lockAsync().get(10, TimeUnit.SECONDS);
            HeldLock b = ReadWriteLock.of(r2, "arw").readLock().lockAsync().get(10, TimeUnit.SECONDS);
            assertThat(ReadWriteLock.of(w, "arw").writeLock().tryLockAsync().get(10, TimeUnit.SECONDS)).isEmpty();
            CompletableFuture<HeldLock> writer = ReadWriteLock.of(w, "arw").writeLock().lockAsync(
                    Duration.ofSeconds(30));
            awaitKeys("arw/", 3);
            a.close();
            assertThat(writer).as("one reader still holds").isNotDone();
            ReadWriteLock.of(r2, "arw").readLock().unlockAsync().get(10, TimeUnit.SECONDS);
            HeldLock held = writer.get(10, TimeUnit.SECONDS);
            assertThat(held.fencingToken()).isGreaterThan(b.fencingToken());
            CompletableFuture<HeldLock> reader = ReadWriteLock.of(r1, "arw").readLock().lockAsync();
            awaitKeys("arw/", 2);
            assertThat(reader.cancel(false)).isTrue();
            await("the reader's key withdrawn").atMost(Duration.ofSeconds(10))
                    .until(() -> client.kv().count(Range.prefix("arw/")) == 1);
            held.close();
            assertThat(client.kv().count(Range.prefix("arw/"))).isZero();
        }
    }

    @Test
    void notReEntrantAndNoUpgradeOrDowngrade() throws Exception {
        try (Session s = session()) {
            ReadWriteLock rw = ReadWriteLock.of(s, "rw/reentry");
            try (HeldLock read = rw.readLock().lock()) {
                assertThatThrownBy(() -> rw.readLock().lock()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("not re-entrant");
                assertThatThrownBy(() -> rw.writeLock().tryLock(Duration.ofSeconds(5)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be upgraded");
            }
            try (HeldLock write = rw.writeLock().lock()) {
                assertThatThrownBy(() -> rw.readLock().lock()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("unlock the write lock 'rw/reentry' first");
            }
            assertThatThrownBy(rw.writeLock()::fencingToken).isInstanceOf(IllegalStateException.class);
            assertThat(keys("rw/reentry/")).isZero();
        }
    }

    @Test
    void underContentionWritersAreAloneAndReadersNeverMeetAWriter() throws Exception {
        int sessions = 6;
        AtomicInteger readers = new AtomicInteger();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        List<Session> opened = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                Session s = session();
                opened.add(s);
                futures.add(pool.submit(() -> {
                    ReadWriteLock rw = ReadWriteLock.of(s, "rw/contention");
                    for (int c = 0; c < 12; c++) {
                        boolean write = ThreadLocalRandom.current().nextInt(3) == 0;
                        try (HeldLock h = (write ? rw.writeLock() : rw.readLock()).lock(Duration.ofSeconds(20))) {
                            if (write) {
                                writes.incrementAndGet();
                                if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                Thread.sleep(2);
                                writers.decrementAndGet();
                            } else {
                                readers.incrementAndGet();
                                if (writers.get() != 0) {
                                    violations.incrementAndGet();
                                }
                                Thread.sleep(2);
                                readers.decrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            opened.forEach(Session::close);
        }
        assertThat(writes.get()).as("some writes happened").isPositive();
        assertThat(violations.get()).isZero();
        assertThat(keys("rw/contention/")).isZero();
    }
}
