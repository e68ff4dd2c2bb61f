package io.etcdkit.recipes.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The latch-style leadership listener. */
class LeaderLatchTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** Records calls and the threads they ran on. */
    static final class Recorder implements LeaderLatchListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void isLeader(long epoch) {
            calls.add("isLeader:" + epoch);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void notLeader(long epoch) {
            calls.add("notLeader:" + epoch);
            threads.add(Thread.currentThread().getName());
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Awaitility.await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    @Test
    void oneLeadsTheOtherTakesOverWithAHigherEpochAfterClose() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            LeaderLatch la = LeaderLatch.open(client, "latch/basic", "a", Duration.ofSeconds(3), a);
            await(la::isLeader, "first latch leads");
            LeaderLatch lb = LeaderLatch.open(client, "latch/basic", "b", Duration.ofSeconds(3), b);
            Thread.sleep(300);
            assertThat(lb.isLeader()).isFalse();
            long epochA = la.epoch();
            la.close();
            await(lb::isLeader, "second latch leads after the first closes");
            assertThat(lb.epoch()).isGreaterThan(epochA);
            assertThat(a.calls).containsExactly("isLeader:" + epochA, "notLeader:" + epochA);
            lb.close();
            assertThat(b.calls).containsExactly("isLeader:" + lb.epoch(), "notLeader:" + lb.epoch());
            assertThat(a.threads).hasSize(1).allMatch(t -> t.startsWith("etcdkit-latch-"));
        }
    }

    @Test
    void aLostSessionReportsNotLeaderAndTheLatchCampaignsAgain() throws Exception {
        Recorder r = new Recorder();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                LeaderLatch latch = LeaderLatch.open(client, "latch/lost", "x", Duration.ofSeconds(3), r)) {
            await(latch::isLeader, "leads");
            long first = latch.epoch();
            // Someone revokes the latch's lease: its key vanishes and the session expires.
            LeaderElection.currentLeader(client, "latch/lost").ifPresent(l -> client.leases().revoke(l.leaseId()));
            await(() -> latch.isLeader() && latch.epoch() > first, "leads again with a new session and epoch");
            assertThat(r.calls).startsWith("isLeader:" + first, "notLeader:" + first)
                    .contains("isLeader:" + latch.epoch());
        }
    }

    @Test
    void theLatchFencesItsLeadersWritesAndCanBeAwaited() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                LeaderLatch la = LeaderLatch.open(client, "latch/fenced", "a", Duration.ofSeconds(3), a)) {
            assertThat(la.await(Duration.ofSeconds(20))).isTrue();
            assertThat(la.hasLeadership()).isTrue();
            long token = la.fencingToken();
            Compare guard = la.guard();
            assertThat(client.kv().commit(Transaction.when(guard).then(Put.of("latch/fenced-data", "from a")))
                    .succeeded()).isTrue();
            try (LeaderLatch lb = LeaderLatch.open(client, "latch/fenced", "b", Duration.ofSeconds(3), b)) {
                assertThat(lb.await(Duration.ofMillis(300))).as("b waits while a leads").isFalse();
                assertThatThrownBy(lb::guard).isInstanceOf(NotLeaderException.class);
                la.close();
                assertThatThrownBy(la::await).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(la::fencingToken).isInstanceOf(NotLeaderException.class);
                // a's old guard no longer holds: its late write is refused
                assertThat(client.kv().commit(Transaction.when(guard).then(Put.of("latch/fenced-data", "late a")))
                        .succeeded()).isFalse();
                lb.await();
                assertThat(lb.fencingToken()).isGreaterThan(token);
                assertThat(client.kv().commit(Transaction.when(lb.guard()).then(Put.of("latch/fenced-data",
                        "from b"))).succeeded()).isTrue();
            }
            assertThat(client.kv().get("latch/fenced-data")).map(kv -> kv.valueAsString()).contains("from b");
        }
    }

    @Test
    void awaitAsyncCompletesWhenLeadershipIsGainedAndFailsWhenClosedFirst() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                LeaderLatch la = LeaderLatch.open(client, "latch/async", "a", Duration.ofSeconds(3), a)) {
            la.awaitAsync().get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(la.isLeader()).isTrue();
            assertThat(a.calls).hasSize(1).allMatch(c -> c.startsWith("isLeader:")); // the listener ran first
            LeaderLatch lb = LeaderLatch.open(client, "latch/async", "b", Duration.ofSeconds(3), b);
            java.util.concurrent.CompletableFuture<String> bLeads = lb.awaitAsync()
                    .thenApply(x -> Thread.currentThread().getName());
            assertThat(bLeads).isNotDone();
            la.close();
            assertThat(bLeads.get(15, java.util.concurrent.TimeUnit.SECONDS)).startsWith("etcdkit-latch-");
            assertThat(lb.isLeader()).isTrue();
            assertThat(b.calls).containsExactly("isLeader:" + lb.epoch());
            // A third latch that never leads: closing it fails its pending future.
            LeaderLatch lc = LeaderLatch.open(client, "latch/async", "c", Duration.ofSeconds(3), new Recorder());
            java.util.concurrent.CompletableFuture<Void> cLeads = lc.awaitAsync();
            lc.close();
            assertThat(cLeads).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class).havingCause()
                    .isInstanceOf(IllegalStateException.class).withMessageContaining("is closed");
            assertThat(lc.awaitAsync()).isCompletedExceptionally();
            lb.close();
        }
    }
}
