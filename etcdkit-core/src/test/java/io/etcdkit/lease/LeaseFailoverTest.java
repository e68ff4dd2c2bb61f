package io.etcdkit.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.internal.lease.DefaultLeases;
import io.etcdkit.kv.Put;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keep-alive stream on a 3-member cluster: it moves when its member dies, and a cluster that stops answering
 * is reported (AT_RISK, then EXPIRED), never silently taken for alive.
 */
class LeaseFailoverTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @AfterEach
    void healCluster() {
        for (EtcdMember m : ETCD.cluster().members()) {
            if (m.isPaused()) {
                m.resume();
            }
        }
        for (EtcdMember m : ETCD.cluster().members()) {
            if (!m.isRunning()) {
                m.start();
            }
        }
        ETCD.cluster().awaitLeader(Duration.ofSeconds(15));
    }

    @Test
    void theLeaseSurvivesTheDeathOfTheMemberItsKeepAliveStreamIsOn() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            DefaultLeases leases = (DefaultLeases) client.leases();
            Lease lease = leases.grant(Duration.ofSeconds(3));
            String key = "lease-failover/killed/key";
            client.kv().put(Put.of(key, "v").lease(lease.id()));
            Recorder recorder = new Recorder();
            KeepAlive ka = leases.keepAlive(lease.id(), recorder);
            await().atMost(Duration.ofSeconds(3)).until(() -> leases.keepAliveStreamEndpoint().isPresent());
            String streamEndpoint = leases.keepAliveStreamEndpoint().orElseThrow();
            EtcdMember victim = ETCD.cluster().members().stream()
                    .filter(m -> m.clientEndpoint().equals(streamEndpoint)).findFirst().orElseThrow();

            victim.kill();
            long killedAt = System.nanoTime();
            assertThat(Recorder.await(Duration.ofSeconds(5), () -> leases.keepAliveStreamEndpoint()
                    .filter(e -> !e.equals(streamEndpoint)).isPresent()))
                    .as("the keep-alive stream moved off the killed member %s", streamEndpoint).isTrue();

            // Hold for twice the TTL after the kill: the lease must stay alive (at most briefly at risk).
            String violation = Recorder.holdsFor(Duration.ofSeconds(6), () -> ka.state().isTerminal()
                    ? "the handle ended: " + recorder.seen() : null);
            assertThat(violation).isNull();
            await().atMost(Duration.ofSeconds(3)).until(() -> ka.state() == LeaseState.ALIVE);
            assertThat(System.nanoTime() - killedAt).isGreaterThan(TimeUnit.SECONDS.toNanos(6));
            assertThat(leases.timeToLive(lease.id()).remaining()).isPositive();
            assertThat(client.kv().get(key)).isPresent();
            ka.revoke();
            assertThat(client.kv().get(key)).isEmpty();
        }
    }

    @Test
    void pausingEveryMemberLongerThanTheTtlIsReportedAtRiskThenExpired() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .deadline(Duration.ofSeconds(3)).build()) {
            Lease lease = client.leases().grant(Duration.ofSeconds(2));
            Recorder recorder = new Recorder();
            KeepAlive ka = client.leases().keepAlive(lease.id(), recorder);
            long pausedAt;
            try {
                for (EtcdMember m : ETCD.cluster().members()) {
                    m.pause();
                }
                pausedAt = System.nanoTime();
                assertThat(ka.awaitState(LeaseState.AT_RISK, Duration.ofSeconds(3))).as("%s", recorder.seen())
                        .isTrue();
                assertThat(ka.awaitState(LeaseState.EXPIRED, Duration.ofSeconds(3))).as("%s", recorder.seen())
                        .isTrue();
            } finally {
                for (EtcdMember m : ETCD.cluster().members()) {
                    m.resume();
                }
            }
            assertThat(recorder.states()).endsWith(LeaseState.AT_RISK, LeaseState.EXPIRED);
            // "At risk" came before the server could have expired the lease (its last renewal was sent before
            // the pause, so the server holds it at least 2 s from then) ...
            assertThat(recorder.firstAt(LeaseState.AT_RISK) - pausedAt).isLessThan(TimeUnit.SECONDS.toNanos(2));
            // ... and "expired" not before the TTL since the pause less one keep-alive interval.
            assertThat(recorder.firstAt(LeaseState.EXPIRED) - pausedAt)
                    .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(2000 - 700));
            assertThat(ka.lastError()).isPresent();
            // The handle stays expired, and the server drops the lease too once it runs again.
            await().atMost(Duration.ofSeconds(8)).until(() -> {
                try {
                    client.leases().timeToLive(lease.id());
                    return false;
                } catch (LeaseNotFoundException e) {
                    return true;
                } catch (RuntimeException e) {
                    return false; // cluster still recovering
                }
            });
            assertThat(ka.state()).isEqualTo(LeaseState.EXPIRED);
        }
    }
}
