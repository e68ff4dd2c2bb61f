package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;

/** On 5 members a split may cut off two members at once; the majority of 3 keeps writing. */
class FiveMemberNemesisTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(5).build();

    @Test
    void aSplitOfTwoAgainstThreeLeavesTheThreeWritingAndTheTwoNot() {
        assumeTrue(Partitions.probe().available(), () -> "partitions unavailable: " + Partitions.probe().reason());
        List<EtcdMember> all = ETCD.cluster().members();
        EtcdMember leader = ETCD.cluster().leader();
        List<EtcdMember> two = all.stream().filter(m -> m != leader).limit(2).toList(); // the leader is on the majority
        List<EtcdMember> three = all.stream().filter(m -> !two.contains(m)).toList();
        String key = "five-" + UUID.randomUUID();
        try (Partitions partitions = Partitions.of(ETCD.cluster())) {
            partitions.split(two, three);

            // The minority's writes first: they prove the cut. Rules drop a connection's packets once it is marked,
            // and a connection is marked by the next packet its member sends on it, so right after split() a
            // packet already in flight from the majority may still land (it did once in a full run).
            for (EtcdMember m : two) {
                // another key: a write that timed out here may still be applied after the heal (TCP retransmits the
                // forwarded proposal), so its outcome is unknown, not "failed"
                assertThat(GatewayKv.put(m.clientEndpoint(), key + "-minority", "2", Duration.ofSeconds(2))).isFalse();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> GatewayKv.put(three.get(0).clientEndpoint(), key, "3",
                    Duration.ofSeconds(2)));
            for (EtcdMember m : two) {
                assertThat(GatewayKv.localValue(m.clientEndpoint(), key, Duration.ofSeconds(2))).isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(two).allSatisfy(m ->
                assertThat(GatewayKv.localValue(m.clientEndpoint(), key, Duration.ofSeconds(2))).contains("3")));
    }

    @Test
    void splitsOfTwoAgainstThreeAndMemberFaultsEndHealthy() {
        assumeTrue(Partitions.probe().available(), () -> "partitions unavailable: " + Partitions.probe().reason());
        List<FaultWindow> windows;
        try (Nemesis nemesis = Nemesis.builder(ETCD.cluster()).seed(5)
                .kinds(EnumSet.of(FaultKind.SPLIT, FaultKind.KILL, FaultKind.ISOLATE_LEADER))
                .faultLength(Duration.ofMillis(1500), Duration.ofMillis(2500))
                .calm(Duration.ofMillis(100), Duration.ofMillis(300)).build()) {
            nemesis.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> nemesis.windows().stream()
                    .anyMatch(w -> w.kind() == FaultKind.SPLIT && w.target().indexOf(',') < w.target().indexOf('|')));
            nemesis.stopAndHeal(Duration.ofSeconds(60));
            windows = nemesis.windows();
            assertThat(nemesis.errors()).isEmpty();
        }
        assertThat(windows).filteredOn(w -> w.kind() == FaultKind.SPLIT)
                .allSatisfy(w -> assertThat(w.target().split("\\|")[0].split(",")).hasSizeBetween(1, 2));
        ETCD.cluster().awaitHealthy(Duration.ofSeconds(30));
        assertThat(GatewayKv.put(ETCD.cluster().leader().clientEndpoint(), "five", "ok", Duration.ofSeconds(5)))
                .isTrue();
    }
}
