package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;

/** {@link EtcdCluster#replaceMember(int)} on a real 3-member cluster. */
class ReplaceMemberTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    @Test
    void aReplacedFollowerComesBackWithANewIdAndTheSameData() {
        try (EtcdCluster cluster = EtcdCluster.builder().members(3).build()) {
            cluster.start();
            EtcdMember leader = cluster.leader();
            int index = leader == cluster.member(0) ? 1 : 0;
            EtcdMember follower = cluster.member(index);
            String key = "replace-" + UUID.randomUUID();
            await().atMost(Duration.ofSeconds(10)).until(() -> GatewayKv.put(leader.clientEndpoint(), key, "kept", SHORT));
            String oldId = follower.memberId();
            long oldPid = follower.pid();

            EtcdMember replaced = cluster.replaceMember(index);

            assertThat(replaced).isSameAs(follower);
            assertThat(replaced.memberId()).isNotEqualTo(oldId);
            assertThat(replaced.pid()).isNotEqualTo(oldPid);
            cluster.awaitHealthy(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, String> members = GatewayKv.members(leader.clientEndpoint(), SHORT);
                assertThat(members).hasSize(3).doesNotContainKey(oldId).containsEntry(replaced.memberId(),
                        follower.name());
                assertThat(GatewayKv.localValue(replaced.clientEndpoint(), key, SHORT)).contains("kept");
                assertThat(GatewayKv.localRevision(replaced.clientEndpoint(), SHORT))
                        .isEqualTo(GatewayKv.localRevision(leader.clientEndpoint(), SHORT));
            });
            // and it takes part in the quorum again: with another follower down, writes still commit
            EtcdMember third = cluster.members().stream().filter(m -> m != leader && m != replaced).findFirst()
                    .orElseThrow();
            third.kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> GatewayKv.put(replaced.clientEndpoint(), key + "-2",
                    "with the new member", SHORT));
        }
    }

    @Test
    void aSingleMemberClusterCannotReplaceItsMember() {
        try (EtcdCluster cluster = EtcdCluster.builder().members(1).build()) {
            cluster.start();
            assertThatThrownBy(() -> cluster.replaceMember(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("at least 3 members");
        }
    }
}
