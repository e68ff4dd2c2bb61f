package io.etcdkit.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener hears every state change of a kept lease (not its registration) and keep-alive stream failures. */
class LeaseListenerTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(15);

    @AfterEach
    void restartTheMember() {
        EtcdMember m = ETCD.cluster().member(0);
        if (!m.isRunning()) {
            m.start();
        }
        ETCD.cluster().awaitLeader(WAIT);
    }

    private static EtcdClient client(RecordingListener rec) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build();
    }

    private static String id(KeepAlive k) {
        return Long.toString(k.id());
    }

    @Test
    void revokingThroughTheClientIsAliveToRevoked() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            KeepAlive k = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
            assertThat(rec.events("leaseStateChanged")).as("registration is not a change").isEmpty();
            k.revoke();
            await().atMost(WAIT).until(() -> !rec.events("leaseStateChanged", id(k)).isEmpty());
            assertThat(rec.events("leaseStateChanged", id(k))).extracting(RecordingListener.Event::detail)
                    .containsExactly("ALIVE->REVOKED");
        }
    }

    @Test
    void aLeaseRevokedElsewhereIsAliveToExpired() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec);
                EtcdClient other = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            KeepAlive k = client.leases().grantAndKeepAlive(Duration.ofSeconds(2));
            other.leases().revoke(k.id());
            // The next keep-alive (within a third of the TTL) is answered "unknown lease".
            await().atMost(WAIT).until(() -> k.state() == LeaseState.EXPIRED);
            assertThat(rec.events("leaseStateChanged", id(k))).extracting(RecordingListener.Event::detail)
                    .containsExactly("ALIVE->EXPIRED");
            assertThat(rec.events("keepAliveFailed")).isEmpty();
        }
    }

    @Test
    void closingTheLastHandleIsAliveToClosedAndClosingTheClientReportsTheRest() {
        RecordingListener rec = new RecordingListener();
        KeepAlive second;
        try (EtcdClient client = client(rec)) {
            KeepAlive k = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
            KeepAlive again = client.leases().keepAlive(k.id());
            k.close();
            assertThat(rec.events("leaseStateChanged")).as("another handle still keeps it").isEmpty();
            again.close();
            assertThat(rec.events("leaseStateChanged", id(k))).extracting(RecordingListener.Event::detail)
                    .containsExactly("ALIVE->CLOSED");
            second = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
        }
        assertThat(rec.events("leaseStateChanged", id(second))).extracting(RecordingListener.Event::detail)
                .containsExactly("ALIVE->CLOSED");
    }

    @Test
    void killingTheMemberFailsTheStreamAndTheLeaseGoesAtRiskThenExpired() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec)
                .deadline(Duration.ofSeconds(2)).build()) {
            KeepAlive k = client.leases().grantAndKeepAlive(Duration.ofSeconds(3));
            ETCD.cluster().member(0).kill();
            await().atMost(WAIT).until(() -> k.state() == LeaseState.EXPIRED);
            assertThat(rec.events("keepAliveFailed")).as("the stream's failures").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.detail()).isNotBlank());
            assertThat(rec.events("leaseStateChanged", id(k))).extracting(RecordingListener.Event::detail)
                    .containsExactly("ALIVE->AT_RISK", "AT_RISK->EXPIRED");
            assertThat(rec.events("memberAvoided", ETCD.clientEndpoints().get(0))).as("once, not per attempt")
                    .hasSize(1);
        }
    }
}
