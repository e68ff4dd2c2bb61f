package io.etcdkit.recipes.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.RecordingListener;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.LeaderLatch;
import io.etcdkit.recipes.election.LeaderLatchListener;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.lock.Permit;
import io.etcdkit.recipes.lock.ReadWriteLock;
import io.etcdkit.recipes.lock.Semaphore;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The recipes report through their client's listener: lock wait and hold times, leadership, registry changes. */
class RecipeListenerTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration HOLD = Duration.ofMillis(300);

    private static EtcdClient client(RecordingListener rec) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build();
    }

    @Test
    void aMutexReportsWaitAndHoldTimesOncePerHold() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec); Session a = Session.open(client); Session b = Session.open(client)) {
            HeldLock first = Mutex.of(a, "rl/mutex").lock();
            CompletableFuture<HeldLock> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return Mutex.of(b, "rl/mutex").lock();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(WAIT).until(() -> client.kv().count(io.etcdkit.kv.Range.prefix("rl/mutex/")) == 2);
            Thread.sleep(HOLD.toMillis()); // the hold and the wait both last at least this long
            first.close();
            HeldLock held = second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            held.close();
            held.close(); // idempotent: reports nothing more
            first.close();
        }
        // The first release and the waiter's wake-up happen on different threads, in either order.
        List<String> history = rec.history("rl/mutex");
        assertThat(history).containsExactlyInAnyOrder("lockAcquired", "lockReleased", "queueWaiterWoken",
                "lockAcquired", "lockReleased");
        assertThat(history.get(0)).isEqualTo("lockAcquired");
        assertThat(history.get(4)).isEqualTo("lockReleased");
        List<RecordingListener.Event> acquired = rec.events("lockAcquired", "rl/mutex");
        List<RecordingListener.Event> released = rec.events("lockReleased", "rl/mutex");
        assertThat(acquired.get(0).duration()).as("an uncontended wait").isLessThan(Duration.ofSeconds(5));
        assertThat(acquired.get(1).duration()).as("the waiter's wait").isGreaterThanOrEqualTo(HOLD)
                .isLessThan(WAIT);
        assertThat(released.get(0).duration()).as("the first hold").isGreaterThanOrEqualTo(HOLD).isLessThan(WAIT);
        assertThat(released.get(1).duration()).as("the second hold").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void readWriteSidesAndSemaphorePermitsAreReportedByName() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec); Session s = Session.open(client)) {
            ReadWriteLock rw = ReadWriteLock.of(s, "rl/rw");
            rw.readLock().lock().close();
            rw.writeLock().lock().close();
            try (Permit p = Semaphore.of(s, "rl/sem", 2).acquire()) {
                assertThat(rec.history("rl/sem")).containsExactly("lockAcquired");
            }
            assertThat(rw.readLock().name()).isEqualTo("rl/rw");
        }
        assertThat(rec.history("rl/rw/read")).containsExactly("lockAcquired", "lockReleased");
        assertThat(rec.history("rl/rw/write")).containsExactly("lockAcquired", "lockReleased");
        assertThat(rec.history("rl/sem")).containsExactly("lockAcquired", "lockReleased");
    }

    @Test
    void aLockLostWithItsSessionIsReleasedOnce() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            Session s = Session.open(client, Duration.ofSeconds(5));
            HeldLock held = Mutex.of(s, "rl/lost").lock();
            client.leases().revoke(s.leaseId()); // someone else ends the session's lease
            await().atMost(WAIT).until(() -> s.state() == SessionState.EXPIRED);
            await().atMost(WAIT).until(() -> rec.events("lockReleased", "rl/lost").size() == 1);
            held.close(); // the application lets go later: already reported
            s.close();
        }
        assertThat(rec.history("rl/lost")).containsExactly("lockAcquired", "lockReleased");
    }

    @Test
    void anElectionReportsEachWinAndEachLossOnce() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec); Session a = Session.open(client); Session b = Session.open(client)) {
            Leadership lead = LeaderElection.of(a, "rl/election").campaign("a");
            CompletableFuture<Leadership> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return LeaderElection.of(b, "rl/election").campaign("b");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(WAIT).until(() -> client.kv().count(io.etcdkit.kv.Range.prefix("rl/election/")) == 2);
            lead.resign();
            lead.resign(); // nothing more
            Leadership second = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            b.close(); // the second leadership ends with its session
            second.resign();
        }
        // The resignation and the successor's wake-up happen on different threads, in either order.
        List<String> history = rec.history("rl/election");
        assertThat(history).containsExactlyInAnyOrder("leadershipChanged=true", "leadershipChanged=false",
                "queueWaiterWoken", "leadershipChanged=true", "leadershipChanged=false");
        assertThat(history.get(0)).isEqualTo("leadershipChanged=true");
        assertThat(history.get(4)).isEqualTo("leadershipChanged=false");
    }

    @Test
    void aLatchReportsWhatItsListenerHears() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            LeaderLatch latch = LeaderLatch.open(client, "rl/latch", "me", Duration.ofSeconds(5),
                    new LeaderLatchListener() {
                        @Override
                        public void isLeader(long epoch) {
                        }

                        @Override
                        public void notLeader(long epoch) {
                        }
                    });
            await().atMost(WAIT).until(latch::isLeader);
            assertThat(rec.history("rl/latch")).containsExactly("leadershipChanged=true");
            latch.close();
        }
        assertThat(rec.history("rl/latch")).containsExactly("leadershipChanged=true", "leadershipChanged=false");
    }

    @Test
    void aServiceWatchReportsEachChangeOfTheInstanceSet() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            ServiceRegistry registry = ServiceRegistry.of(client, "rl/services/");
            try (ServiceWatch watch = registry.watch("orders")) {
                assertThat(watch.awaitReady(WAIT)).isTrue();
                await().atMost(WAIT).until(() -> rec.history("orders").size() == 1);
                try (Registration one = registry.register("orders", ServiceInstance.of("one", "10.0.0.1:80"))) {
                    await().atMost(WAIT).until(() -> watch.instances().size() == 1);
                    try (Registration two = registry.register("orders", ServiceInstance.of("two", "10.0.0.2:80"))) {
                        await().atMost(WAIT).until(() -> watch.instances().size() == 2);
                    }
                    await().atMost(WAIT).until(() -> watch.instances().size() == 1);
                }
                await().atMost(WAIT).until(() -> watch.instances().isEmpty());
                await().atMost(WAIT).until(() -> rec.history("orders").size() == 5);
            }
        }
        assertThat(rec.history("orders")).containsExactly("registryChanged=0", "registryChanged=1",
                "registryChanged=2", "registryChanged=1", "registryChanged=0");
    }
}
