package io.etcdkit.recipes.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.kv.Put;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Session states against a real member. */
class SessionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).attemptTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(3)).build();
    }

    @Test
    void closeRevokesTheLeaseSoItsKeysVanishAtOnce() {
        try (EtcdClient client = client()) {
            Session s = Session.open(client, Duration.ofSeconds(10));
            assertThat(s.state()).isEqualTo(SessionState.CONNECTED);
            client.kv().put(Put.of("sess/k", "v").lease(s.leaseId()));
            s.close();
            assertThat(s.state()).isEqualTo(SessionState.CLOSED);
            assertThat(client.kv().exists("sess/k")).isFalse();
            assertThatThrownBy(() -> client.leases().timeToLive(s.leaseId()))
                    .isInstanceOf(LeaseNotFoundException.class);
            s.close(); // idempotent
        }
    }

    @Test
    void aRevokedLeaseExpiresTheSessionForGood() throws Exception {
        try (EtcdClient client = client(); Session s = Session.open(client, Duration.ofSeconds(3))) {
            List<String> changes = new CopyOnWriteArrayList<>();
            s.addListener((was, now, why) -> changes.add(was + "->" + now));
            client.leases().revoke(s.leaseId());
            assertThat(s.ended().get(10, TimeUnit.SECONDS)).isEqualTo(SessionState.EXPIRED);
            assertThat(changes).containsExactly("CONNECTED->CONNECTED", "CONNECTED->EXPIRED");
            assertThatThrownBy(() -> s.ensureAlive("test")).isInstanceOf(SessionExpiredException.class)
                    .hasMessageContaining("open a new session");
            Thread.sleep(1500); // an expired session never silently comes back
            assertThat(s.state()).isEqualTo(SessionState.EXPIRED);
        }
    }

    @Test
    void anUnreachableClusterIsReportedSuspendedBeforeExpired() throws Exception {
        EtcdMember member = ETCD.cluster().member(0);
        try (EtcdClient client = client(); Session s = Session.open(client, Duration.ofSeconds(3))) {
            List<SessionState> seen = new CopyOnWriteArrayList<>();
            s.addListener((was, now, why) -> seen.add(now));
            member.pause();
            try {
                assertThat(s.ended().get(15, TimeUnit.SECONDS)).isEqualTo(SessionState.EXPIRED);
            } finally {
                member.resume();
            }
            assertThat(seen).containsSubsequence(SessionState.SUSPENDED, SessionState.EXPIRED);
            assertThat(seen.indexOf(SessionState.SUSPENDED)).isLessThan(seen.indexOf(SessionState.EXPIRED));
            ETCD.cluster().awaitHealthy(Duration.ofSeconds(15));
            Thread.sleep(500);
            assertThat(s.state()).as("no silent recovery after the cluster is back").isEqualTo(SessionState.EXPIRED);
        }
    }

    @Test
    void aBadTtlIsRefused() {
        try (EtcdClient client = client()) {
            assertThatThrownBy(() -> Session.open(client, Duration.ZERO))
                    .isInstanceOf(io.etcdkit.InvalidArgumentException.class);
        }
    }
}
