package io.etcdkit.testing;

import static io.etcdkit.testing.GatewayHttp.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Each test leaves all three members running and healthy (see {@link #restoreAllMembers()}). */
class ThreeMemberFailoverTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    private static final Duration FAILOVER = Duration.ofSeconds(10);

    private final HttpClient http = GatewayHttp.plain();

    @AfterEach
    void restoreAllMembers() {
        for (EtcdMember m : ETCD.cluster().members()) {
            m.resume();
            if (!m.isRunning()) {
                m.start();
            }
        }
        ETCD.cluster().awaitHealthy(FAILOVER);
    }

    @Test
    void threeMembersElectOneLeaderThatAllAgreeOn() throws Exception {
        EtcdCluster cluster = ETCD.cluster();
        assertThat(cluster.clientEndpoints()).hasSize(3).doesNotHaveDuplicates();
        assertThat(cluster.clientEndpointsString().split(",")).containsExactlyElementsOf(cluster.clientEndpoints());

        EtcdMember leader = cluster.leader();
        Set<String> ids = new HashSet<>();
        for (EtcdMember m : cluster.members()) {
            JsonNode status = GatewayHttp.status(http, m.clientEndpoint());
            assertThat(GatewayHttp.hexLeaderId(status)).as("leader seen by %s", m.name()).isEqualTo(leader.memberId());
            assertThat(m.memberId()).isEqualTo(GatewayHttp.hexMemberId(status));
            ids.add(m.memberId());
        }
        assertThat(ids).hasSize(3);
    }

    @Test
    void killingTheLeaderElectsAnotherAndTheKilledMemberRejoins() throws Exception {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember oldLeader = cluster.leader();
        String oldId = oldLeader.memberId();
        long oldPid = oldLeader.pid();

        oldLeader.kill();
        assertThat(oldLeader.isRunning()).isFalse();
        assertThat(alive(oldPid)).isFalse();

        EtcdMember newLeader = cluster.awaitLeader(FAILOVER);
        assertThat(newLeader).isNotSameAs(oldLeader);
        assertThat(newLeader.isRunning()).isTrue();

        oldLeader.start();
        assertThat(oldLeader.isRunning()).isTrue();
        assertThat(GatewayHttp.healthy(http, oldLeader.clientEndpoint())).isTrue();
        JsonNode status = GatewayHttp.status(http, oldLeader.clientEndpoint());
        assertThat(GatewayHttp.hexMemberId(status)).isEqualTo(oldId);
        assertThat(GatewayHttp.hexLeaderId(status)).isEqualTo(cluster.leader().memberId());
    }

    @Test
    void restartGivesANewProcessThatRejoins() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember follower = cluster.members().stream().filter(m -> m != cluster.leader()).findFirst().orElseThrow();
        long oldPid = follower.pid();

        follower.restart();

        assertThat(follower.pid()).isNotEqualTo(oldPid);
        assertThat(alive(oldPid)).isFalse();
        assertThat(GatewayHttp.healthy(http, follower.clientEndpoint())).isTrue();
    }

    @Test
    void pausingTheLeaderMovesLeadershipAndResumeRestoresTheMember() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember oldLeader = cluster.leader();
        oldLeader.pause();
        EtcdMember newLeader = cluster.awaitLeader(FAILOVER);
        assertThat(newLeader).isNotSameAs(oldLeader);
        assertThat(GatewayHttp.healthy(http, oldLeader.clientEndpoint())).isFalse();

        oldLeader.resume();
        await().atMost(FAILOVER).until(() -> GatewayHttp.healthy(http, oldLeader.clientEndpoint()));
    }

    @Test
    void losingQuorumLeavesNoLeaderUntilEnoughMembersAreBack() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember leader = cluster.leader();
        List<EtcdMember> followers = new ArrayList<>(cluster.members());
        followers.remove(leader);
        leader.kill();
        followers.get(0).kill();

        // the surviving follower is alive but can never win an election alone
        assertThat(followers.get(1).isRunning()).isTrue();
        assertThatThrownBy(() -> cluster.awaitLeader(Duration.ofSeconds(3)))
                .isInstanceOf(EtcdNoLeaderException.class).hasMessageContaining("3000 ms");

        followers.get(1).kill();
        leader.start(); // alone: no quorum, so start() returns once its peer port listens
        assertThat(leader.isRunning()).isTrue();
        assertThat(GatewayHttp.healthy(http, leader.clientEndpoint())).isFalse();

        followers.get(0).start(); // two of three: start() waits until healthy
        assertThat(GatewayHttp.healthy(http, followers.get(0).clientEndpoint())).isTrue();
        cluster.awaitHealthy(FAILOVER);
        assertThat(cluster.awaitLeader(FAILOVER)).isIn(leader, followers.get(0));
    }
}
