package io.etcdkit.recipes.barrier;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BarrierTest {
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
    void waitersPassWhenTheBarrierIsRemovedAndTimeOutWhileItStands() throws Exception {
        Barrier barrier = Barrier.of(client, "deploy");
        assertThat(barrier.await(Duration.ZERO)).as("not set: passes at once").isTrue();
        barrier.set();
        assertThat(barrier.await(Duration.ofMillis(300))).isFalse();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> awaitQuietly(barrier));
        Thread.sleep(200);
        assertThat(waiter).isNotDone();
        barrier.remove();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBarrierSetThroughASessionFallsWhenTheSetterDies() throws Exception {
        Barrier barrier = Barrier.of(client, "setter-dies");
        Session setter = Session.open(client, Duration.ofSeconds(3));
        barrier.set(setter);
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> awaitQuietly(barrier));
        client.leases().revoke(setter.leaseId()); // the setter's lease ends as if it had crashed
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void enterWaitsForAllAndAKilledParticipantCountsAsLeaving() throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(Session.open(client, Duration.ofSeconds(3)));
        }
        try {
            List<CompletableFuture<Boolean>> entered = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DoubleBarrier b = DoubleBarrier.of(sessions.get(i), "job", 3);
                entered.add(CompletableFuture.supplyAsync(() -> call(() -> b.enter(Duration.ofSeconds(20)))));
            }
            Thread.sleep(300);
            assertThat(entered).as("two of three: nobody gets in").noneMatch(CompletableFuture::isDone);
            assertThat(DoubleBarrier.of(sessions.get(2), "job", 3).enter(Duration.ofSeconds(10))).isTrue();
            for (CompletableFuture<Boolean> f : entered) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
            }
            // The third participant dies mid-barrier (its lease is revoked, as after a crash past its TTL).
            List<CompletableFuture<Boolean>> left = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                DoubleBarrier b = DoubleBarrier.of(sessions.get(i), "job", 3);
                left.add(CompletableFuture.supplyAsync(() -> call(() -> b.leave(Duration.ofSeconds(20)))));
            }
            Thread.sleep(300);
            assertThat(left).as("the third has not left").noneMatch(CompletableFuture::isDone);
            client.leases().revoke(sessions.get(2).leaseId());
            for (CompletableFuture<Boolean> f : left) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
            }
            System.out.printf("DOUBLE BARRIER: both left %d ms after the leave started, the third killed%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(client.kv().count(io.etcdkit.kv.Range.prefix("etcdkit/double-barrier/job/"))).isZero();
        } finally {
            sessions.forEach(Session::close);
        }
    }

    private interface Call {
        boolean call() throws InterruptedException;
    }

    private static boolean call(Call c) {
        try {
            return c.call();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean awaitQuietly(Barrier barrier) {
        return call(() -> barrier.await(Duration.ofSeconds(20)));
    }
}
