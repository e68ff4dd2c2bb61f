package io.etcdkit.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.internal.DefaultEtcdClient;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On 3 members, the listener hears fail-overs: a killed member avoided once and recovered once, streams moving. */
class MemberListenerTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static final Duration WAIT = Duration.ofSeconds(30);

    @AfterEach
    void healCluster() {
        for (EtcdMember m : ETCD.cluster().members()) {
            if (!m.isRunning()) {
                m.start();
            }
        }
        ETCD.cluster().awaitHealthy(WAIT);
    }

    private static EtcdClient client(RecordingListener rec) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec)
                .attemptTimeout(Duration.ofSeconds(1)).build();
    }

    private static EtcdMember memberAt(String endpoint) {
        return ETCD.cluster().members().stream().filter(m -> m.clientEndpoint().equals(endpoint)).findFirst()
                .orElseThrow();
    }

    @Test
    void aKilledMemberIsAvoidedOnceAndRecoversOnceAfterItsRestart() {
        RecordingListener rec = new RecordingListener();
        EtcdMember leader = ETCD.cluster().awaitLeader(WAIT);
        EtcdMember victim = ETCD.cluster().members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        String endpoint = victim.clientEndpoint();
        try (EtcdClient client = client(rec)) {
            client.kv().put("ml/key", "v");
            victim.kill();
            // Reads go round the members: one reaches the dead member and fails over; later ones skip it or
            // fail again while it is avoided, which must not be reported again.
            await().atMost(WAIT).until(() -> {
                client.kv().get("ml/key");
                return !rec.events("memberAvoided", endpoint).isEmpty();
            });
            for (int i = 0; i < 30; i++) {
                assertThat(client.kv().get("ml/key")).isPresent();
            }
            victim.start();
            await().atMost(WAIT).until(() -> {
                client.kv().get("ml/key");
                return !rec.events("memberRecovered", endpoint).isEmpty();
            });
            assertThat(rec.kindsAbout(endpoint)).as("events about %s", endpoint)
                    .containsExactly("memberAvoided", "memberRecovered");
            assertThat(rec.events("memberAvoided", endpoint).get(0).detail()).isNotBlank();
        }
    }

    @Test
    void aWatchStreamMovesOffAKilledMemberAndReconnects() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            List<WatchEvent> seen = new CopyOnWriteArrayList<>();
            try (Watcher w = client.watches().watch(Watch.prefix("ml/watch/"), seen::add)) {
                await().atMost(WAIT).until(() -> rec.events("watchStreamConnected").size() == 1);
                String first = rec.events("watchStreamConnected").get(0).subject();
                assertThat(((DefaultEtcdClient) client).watchEngine().connectedEndpoints()).containsExactly(first);
                memberAt(first).kill();
                await().atMost(WAIT).until(() -> rec.events("watchStreamConnected").size() == 2);
                List<RecordingListener.Event> stream = rec.events().stream()
                        .filter(e -> e.kind().startsWith("watchStream")).toList();
                assertThat(stream).extracting(RecordingListener.Event::kind).containsExactly(
                        "watchStreamConnected", "watchStreamDisconnected", "watchStreamConnected");
                assertThat(stream.get(1).subject()).isEqualTo(first);
                assertThat(stream.get(1).detail()).isNotBlank();
                assertThat(stream.get(2).subject()).isNotEqualTo(first);
                // The killed member may have been the leader: a write can time out during the election.
                await().atMost(WAIT).ignoreExceptionsInstanceOf(io.etcdkit.EtcdException.class).until(() -> {
                    client.kv().put("ml/watch/after", "x");
                    return true;
                });
                await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e instanceof PutEvent));
            }
            assertThat(rec.watchersOpened).hasValue(1);
            assertThat(rec.watchersClosed).hasValue(1);
        }
    }

    @Test
    void theKeepAliveStreamFailsWhenItsMemberIsKilledAndTheLeaseStaysAlive() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            KeepAlive k = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
            io.etcdkit.internal.lease.DefaultLeases leases = (io.etcdkit.internal.lease.DefaultLeases) client.leases();
            await().atMost(WAIT).until(() -> leases.keepAliveStreamEndpoint().isPresent());
            String endpoint = leases.keepAliveStreamEndpoint().orElseThrow();
            memberAt(endpoint).kill();
            await().atMost(WAIT).until(() -> !rec.events("keepAliveFailed").isEmpty());
            await().atMost(WAIT).until(() -> leases.keepAliveStreamEndpoint().filter(e -> !e.equals(endpoint))
                    .isPresent());
            assertThat(k.state()).isIn(LeaseState.ALIVE, LeaseState.AT_RISK);
            assertThat(rec.events("memberAvoided", endpoint)).hasSize(1);
            k.revoke();
        }
    }
}
