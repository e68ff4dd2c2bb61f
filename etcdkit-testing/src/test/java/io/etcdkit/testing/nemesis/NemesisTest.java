package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;

/** Short seeded nemesis runs on a real 3-member cluster. */
class NemesisTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    private static final long SEED = 20261206L;
    private static final Duration SHORT = Duration.ofSeconds(2);
    /** Kinds whose target depends on etcd's state (who leads, which lease ids exist), which a seed cannot replay. */
    private static final Set<FaultKind> STATE_DEPENDENT = EnumSet.of(FaultKind.ISOLATE_LEADER, FaultKind.REVOKE_LEASE,
            FaultKind.REPLACE_MEMBER);

    @Test
    void aSeededRunOfEveryKindEndsHealthyWithOrderedWindowsAndReplaysItsSequence() {
        EtcdCluster cluster = ETCD.cluster();
        Set<FaultKind> expected = EnumSet.allOf(FaultKind.class);
        if (!Partitions.probe().available()) {
            expected.removeIf(FaultKind::isPartition);
        }
        List<String> log = new CopyOnWriteArrayList<>();
        List<FaultWindow> heard = new CopyOnWriteArrayList<>();
        List<FaultWindow> first;
        GatewayKv.grantLease(cluster.member(0).clientEndpoint(), 600, SHORT).orElseThrow();
        try (Nemesis nemesis = quickNemesis(cluster).listener(heard::add).log(log::add).build()) {
            nemesis.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> nemesis.windows().stream()
                    .map(FaultWindow::kind).collect(Collectors.toSet()).containsAll(expected));

            nemesis.stopAndHeal(Duration.ofSeconds(60));

            first = nemesis.windows();
            assertThat(nemesis.errors()).isEmpty();
            assertThat(nemesis.seed()).isEqualTo(SEED);
        }
        assertThat(log.get(0)).contains("seed " + SEED).contains("plan: 1 ");
        assertThat(heard).containsExactlyElementsOf(first);
        for (int i = 1; i < first.size(); i++) {
            assertThat(first.get(i).startNanos()).as("window %d starts after window %d ends", i, i - 1)
                    .isGreaterThan(first.get(i - 1).endNanos());
            assertThat(first.get(i).overlaps(first.get(i - 1))).isFalse();
        }
        assertThat(first).allSatisfy(w -> assertThat(w.detail()).doesNotStartWith("failed"));
        assertHealthyWithThreeRunningMembers(cluster);

        // the same seed plans the same kinds and targets
        GatewayKv.grantLease(cluster.member(0).clientEndpoint(), 600, SHORT).orElseThrow();
        int replayed = Math.min(6, first.size());
        List<FaultWindow> second;
        try (Nemesis again = quickNemesis(cluster).build()) {
            again.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> again.windows().size() >= replayed + 1);
            again.stopAndHeal(Duration.ofSeconds(60));
            second = again.windows();
            assertThat(again.errors()).isEmpty();
        }
        assertThat(sequence(second.subList(0, replayed))).isEqualTo(sequence(first.subList(0, replayed)));
        assertHealthyWithThreeRunningMembers(cluster);
    }

    @Test
    void withoutPartitionsThePartitionKindsAreSkippedWithOneLogLineAndTheOthersRun() {
        List<String> log = new CopyOnWriteArrayList<>();
        String before = System.getProperty("etcdkit.testing.cgroups");
        System.setProperty("etcdkit.testing.cgroups", "false"); // makes Partitions.probe() unavailable
        Nemesis nemesis = Nemesis.builder(ETCD.cluster()).seed(3).kinds(EnumSet.of(FaultKind.CUT_CLIENTS,
                        FaultKind.SPLIT, FaultKind.COMPACT))
                .faultLength(Duration.ofMillis(50), Duration.ofMillis(100)).calm(Duration.ofMillis(50),
                        Duration.ofMillis(100)).log(log::add).build();
        try {
            nemesis.start();
        } finally {
            restore("etcdkit.testing.cgroups", before);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> nemesis.windows().size() >= 3);
        nemesis.stopAndHeal(Duration.ofSeconds(30));

        assertThat(log.get(0)).contains("partition kinds skipped").contains("kinds [COMPACT]");
        assertThat(log.stream().filter(l -> l.contains("skipped"))).hasSize(1);
        assertThat(nemesis.windows()).extracting(FaultWindow::kind).containsOnly(FaultKind.COMPACT);
        assertThat(nemesis.errors()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Nemesis.builder(ETCD.cluster()).kinds(Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> Nemesis.builder(ETCD.cluster()).faultLength(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least min");
        assertThatThrownBy(() -> Nemesis.builder(ETCD.cluster()).calm(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    private static Nemesis.Builder quickNemesis(EtcdCluster cluster) {
        return Nemesis.builder(cluster).seed(SEED)
                .faultLength(Duration.ofMillis(300), Duration.ofMillis(900))
                .calm(Duration.ofMillis(100), Duration.ofMillis(400));
    }

    /** Kind and target of each window; leader-dependent targets are not replayable and left out. */
    private static List<String> sequence(List<FaultWindow> windows) {
        List<String> sequence = new ArrayList<>();
        for (FaultWindow w : windows) {
            sequence.add(w.kind() + (STATE_DEPENDENT.contains(w.kind()) ? "" : " " + w.target()));
        }
        return sequence;
    }

    private static void assertHealthyWithThreeRunningMembers(EtcdCluster cluster) {
        cluster.awaitHealthy(Duration.ofSeconds(30));
        assertThat(cluster.members()).allSatisfy(m -> assertThat(m.isRunning() && !m.isPaused()).isTrue());
        EtcdMember leader = cluster.leader();
        assertThat(GatewayKv.members(leader.clientEndpoint(), SHORT)).hasSize(3).doesNotContainValue("");
        assertThat(GatewayKv.put(leader.clientEndpoint(), "after-nemesis", "ok", Duration.ofSeconds(5))).isTrue();
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
