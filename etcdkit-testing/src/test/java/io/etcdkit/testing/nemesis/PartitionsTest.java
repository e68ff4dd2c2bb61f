package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;

/** Partitions on a real 3-member cluster; skipped where iptables or cgroups are unavailable (not root). */
class PartitionsTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration CATCH_UP = Duration.ofSeconds(20);

    private Partitions partitions;

    @BeforeEach
    void requirePartitions() {
        assumeTrue(Partitions.probe().available(), () -> "partitions unavailable: " + Partitions.probe().reason());
        partitions = Partitions.of(ETCD.cluster());
    }

    @AfterEach
    void healAll() {
        if (partitions != null) {
            partitions.close();
            assertThat(rulesTagged(partitions.tag())).isZero();
        }
        ETCD.cluster().awaitHealthy(CATCH_UP);
    }

    @Test
    void anIsolatedFollowerNeitherAcceptsWritesNorReceivesTheMajoritysAndCatchesUpAfterHeal() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember leader = cluster.leader();
        EtcdMember follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        String key = "isolate-" + UUID.randomUUID();

        partitions.isolate(follower);

        assertThat(GatewayKv.put(follower.clientEndpoint(), key + "-minority", "x", SHORT))
                .as("a write through the isolated member").isFalse();
        await().atMost(CATCH_UP).until(() -> GatewayKv.put(leader.clientEndpoint(), key, "majority", SHORT));
        // both directions are cut: the isolated member must not receive the majority's entries either
        assertThat(GatewayKv.localValue(follower.clientEndpoint(), key, SHORT)).isEmpty();

        partitions.heal();

        await().atMost(CATCH_UP).untilAsserted(() -> {
            assertThat(GatewayKv.localValue(follower.clientEndpoint(), key, SHORT)).contains("majority");
            assertThat(GatewayKv.localRevision(follower.clientEndpoint(), SHORT))
                    .isEqualTo(GatewayKv.localRevision(leader.clientEndpoint(), SHORT));
        });
    }

    @Test
    void aLeaderSplitFromTheMajorityLosesItAndTheMajorityElectsAnother() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember oldLeader = cluster.leader();
        List<EtcdMember> majority = cluster.members().stream().filter(m -> m != oldLeader).toList();
        String key = "split-" + UUID.randomUUID();

        partitions.split(List.of(oldLeader), majority);

        await().atMost(CATCH_UP).until(() -> GatewayKv.put(majority.get(0).clientEndpoint(), key, "majority", SHORT));
        assertThat(GatewayKv.put(oldLeader.clientEndpoint(), key, "minority", SHORT))
                .as("a write through the old leader on the minority side").isFalse();
        assertThat(GatewayKv.localValue(oldLeader.clientEndpoint(), key, SHORT)).isEmpty();

        partitions.heal();

        await().atMost(CATCH_UP).untilAsserted(() -> {
            assertThat(GatewayKv.localValue(oldLeader.clientEndpoint(), key, SHORT)).contains("majority");
            OptionalLong majorityRevision = GatewayKv.localRevision(majority.get(0).clientEndpoint(), SHORT);
            assertThat(GatewayKv.localRevision(oldLeader.clientEndpoint(), SHORT)).isEqualTo(majorityRevision);
        });
        assertThat(cluster.leader()).isNotSameAs(oldLeader);
    }

    @Test
    void cuttingAMembersClientsLeavesItsPeersConnected() {
        EtcdCluster cluster = ETCD.cluster();
        EtcdMember cut = cluster.member(2);
        EtcdMember other = cluster.member(0);
        String key = "clients-" + UUID.randomUUID();

        partitions.cutClients(cut);

        assertThat(GatewayKv.localRevision(cut.clientEndpoint(), SHORT)).as("a read through the cut port").isEmpty();
        await().atMost(CATCH_UP).until(() -> GatewayKv.put(other.clientEndpoint(), key, "v", SHORT));
        // the peers still reach it: a member cut from clients but not from peers keeps replicating
        EtcdMember third = cluster.member(1);
        partitions.isolate(third);
        await().atMost(CATCH_UP).until(() -> GatewayKv.put(other.clientEndpoint(), key, "needs-the-cut-member", SHORT));

        partitions.heal();

        await().atMost(CATCH_UP).untilAsserted(() -> assertThat(GatewayKv.localValue(cut.clientEndpoint(), key, SHORT))
                .contains("needs-the-cut-member"));
    }

    @Test
    void healAndCloseRemoveExactlyThisInstancesRules() {
        partitions.cutClients(ETCD.cluster().member(0));
        partitions.split(List.of(ETCD.cluster().member(1)), List.of(ETCD.cluster().member(2)));
        assertThat(rulesTagged(partitions.tag())).isEqualTo(2 + 2 + 1); // client ports, two marks, one drop

        partitions.heal();
        assertThat(rulesTagged(partitions.tag())).isZero();

        partitions.isolate(ETCD.cluster().member(0));
        assertThat(rulesTagged(partitions.tag())).isPositive();
        partitions.close();
        assertThat(rulesTagged(partitions.tag())).isZero();
    }

    @Test
    void removeStaleDeletesTheRulesOfADeadPidAndKeepsALivePids() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process live = new ProcessBuilder("sleep", "60").start();
        String deadTag = Partitions.TAG_PREFIX + dead.pid() + ":1";
        String liveTag = Partitions.TAG_PREFIX + live.pid() + ":2";
        try {
            addHarmlessRule(deadTag);
            addHarmlessRule(liveTag);

            assertThat(Partitions.removeStale()).isGreaterThanOrEqualTo(1);

            assertThat(rulesTagged(deadTag)).isZero();
            assertThat(rulesTagged(liveTag)).isEqualTo(1);
        } finally {
            live.destroyForcibly().waitFor();
            Partitions.removeStale();
            assertThat(rulesTagged(liveTag)).isZero();
        }
    }

    @Test
    void aMemberOfAnotherClusterIsRefused() {
        EtcdMember own = ETCD.cluster().member(0);
        assertThatThrownBy(() -> partitions.split(List.of(own), List.of(own)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both sides");
        assertThatThrownBy(() -> partitions.split(List.of(own), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Both sides");
    }

    /** A rule that matches nothing real (port 1), tagged like the nemesis's. */
    private static void addHarmlessRule(String tag) {
        Iptables.require(List.of("-t", "filter", "-A", Iptables.CHAIN, "-o", "lo", "-p", "tcp", "--dport", "1",
                "-m", "comment", "--comment", tag, "-j", "DROP"));
    }

    private static long rulesTagged(String tag) {
        return Iptables.TABLES.stream().flatMap(t -> Iptables.list(t).stream())
                .filter(rule -> tag.equals(Iptables.comment(rule))).count();
    }
}
