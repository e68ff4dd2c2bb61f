package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Semaphores and read-write locks whose names are data (one per job) do not grow a long-lived session's memory:
 * a session keeps only the instances still referred to — by the caller, a hold or a waiter — and while one is,
 * every {@code of(session, name)} returns it.
 */
class PerNameMemoryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** Collects garbage until the session keeps at most {@code most} instances of the kind. */
    private static void awaitKept(java.util.function.IntSupplier kept, int most) {
        await("instances dropped after GC").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    System.gc();
                    return kept.getAsInt() <= most;
                });
    }

    @Test
    void aSessionKeepsOnlyTheReadWriteLocksInUse() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                Session s = Session.open(client, Duration.ofSeconds(10))) {
            for (int i = 0; i < 100_000; i++) {
                assertThat(ReadWriteLock.of(s, "catalog/" + i).name()).isEqualTo("catalog/" + i);
            }
            awaitKept(() -> ReadWriteLock.liveInstances(s), 0);

            // A held side keeps its instance, though the caller dropped every reference to the lock itself.
            HeldLock read = ReadWriteLock.of(s, "catalog/held").readLock().lock();
            awaitKept(() -> ReadWriteLock.liveInstances(s), 1);
            System.gc();
            assertThat(ReadWriteLock.of(s, "catalog/held").readLock().isHeld()).as("the instance in use").isTrue();
            assertThat(ReadWriteLock.liveInstances(s)).isEqualTo(1);
            read.close();
            awaitKept(() -> ReadWriteLock.liveInstances(s), 0);
            ReadWriteLock again = ReadWriteLock.of(s, "catalog/held");
            assertThat(again.readLock().isHeld()).isFalse();
            assertThat(ReadWriteLock.of(s, "catalog/held")).as("one instance while referred to").isSameAs(again);
        }
    }

    @Test
    void aSessionKeepsOnlyTheSemaphoresInUse() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                Session s = Session.open(client, Duration.ofSeconds(10))) {
            // each new instance checks its stored limit in etcd once: fewer names than for the locks
            for (int i = 0; i < 3_000; i++) {
                assertThat(Semaphore.of(s, "downloads/" + i, 2).permits()).isEqualTo(2);
            }
            awaitKept(() -> Semaphore.liveInstances(s), 0);

            Permit permit = Semaphore.of(s, "downloads/held", 2).acquire();
            java.util.concurrent.CompletableFuture<Permit> waiting = Semaphore.of(s, "downloads/waited", 1)
                    .acquireAsync();
            awaitKept(() -> Semaphore.liveInstances(s), 2);
            assertThat(Semaphore.of(s, "downloads/held", 2).isHeld()).as("a permit keeps its semaphore").isTrue();
            waiting.get(20, java.util.concurrent.TimeUnit.SECONDS).close();
            permit.close();
            waiting = null; // a permit handle, even released, refers to its semaphore
            permit = null;
            awaitKept(() -> Semaphore.liveInstances(s), 0);
        }
    }
}
