package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Locks whose names are data (a lock per job) do not grow a long-lived session's memory: a session keeps only
 * the mutexes that are held or awaited, and every handle of a name in use is the same lock.
 */
class MutexMemoryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void aSessionKeepsOnlyTheMutexesInUse() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                Session s = Session.open(client, Duration.ofSeconds(10))) {
            for (int i = 0; i < 100_000; i++) {
                Mutex m = Mutex.of(s, "jobs/" + i);
                assertThat(m.isHeld()).isFalse();
            }
            assertThat(Mutex.inUse(s)).as("handles of 100,000 idle names").isZero();
            for (int i = 0; i < 300; i++) { // lock and unlock, both ways of giving the lock back
                Mutex m = Mutex.of(s, "jobs/" + i);
                if (i % 2 == 0) {
                    try (HeldLock held = m.lock()) {
                        assertThat(Mutex.inUse(s)).isEqualTo(1);
                        assertThat(Mutex.of(s, "jobs/" + i).isHeld()).isTrue();
                    }
                } else {
                    assertThat(m.tryLock()).isPresent();
                    Mutex.of(s, "jobs/" + i).unlock(); // another handle of the same name releases it
                }
                assertThat(Mutex.inUse(s)).isZero();
            }
            assertThat(Mutex.of(s, "jobs/x").tryLock(Duration.ofMillis(1))).isPresent();
            Mutex.of(s, "jobs/x").unlock();
            assertThat(Mutex.inUse(s)).as("after lock, tryLock and unlock").isZero();
        }
    }

    @Test
    void waitersOfOneNameShareTheInstanceInUseAndLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                Session s = Session.open(client, Duration.ofSeconds(10))) {
            HeldLock first = Mutex.of(s, "shared/one").lock();
            CountDownLatch started = new CountDownLatch(4);
            List<Future<Long>> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(pool.submit(() -> {
                    Mutex m = Mutex.of(s, "shared/one"); // handles made while the lock is held
                    started.countDown();
                    try (HeldLock h = m.lock()) {
                        return h.fencingToken();
                    }
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Mutex.inUse(s)).isEqualTo(1);
            first.close();
            List<Long> tokens = new ArrayList<>();
            for (Future<Long> w : waiters) {
                tokens.add(w.get(30, TimeUnit.SECONDS));
            }
            assertThat(tokens).doesNotHaveDuplicates().allMatch(t -> t > first.fencingToken());
            assertThat(Mutex.inUse(s)).isZero();
            // a timed-out waiter leaves nothing either
            try (HeldLock held = Mutex.of(s, "shared/two").lock()) {
                Future<Boolean> late = pool.submit(() -> Mutex.of(s, "shared/two").tryLock(Duration.ofMillis(200))
                        .isPresent());
                assertThat(late.get(10, TimeUnit.SECONDS)).isFalse();
                assertThat(Mutex.inUse(s)).isEqualTo(1);
            }
            assertThat(Mutex.inUse(s)).isZero();
        } finally {
            pool.shutdownNow();
        }
    }
}
