package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The plan is a function of the seed only (no etcd needed). */
class ScheduleTest {

    private static final Set<FaultKind> ALL = EnumSet.allOf(FaultKind.class);
    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration MS_900 = Duration.ofMillis(900);

    @Test
    void theSameSeedPlansTheSameStepsAndAnotherSeedOthers() {
        List<ScheduleStep> a = Schedule.preview(7, ALL, 3, MS_100, MS_900, MS_100, MS_900, 50);
        List<ScheduleStep> b = Schedule.preview(7, ALL, 3, MS_100, MS_900, MS_100, MS_900, 50);
        List<ScheduleStep> c = Schedule.preview(8, ALL, 3, MS_100, MS_900, MS_100, MS_900, 50);

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void everyRoundHoldsEveryKindOnceAndLengthsStayInBounds() {
        Set<FaultKind> kinds = EnumSet.of(FaultKind.KILL, FaultKind.PAUSE, FaultKind.COMPACT);
        List<ScheduleStep> steps = Schedule.preview(11, kinds, 5, MS_100, MS_900, Duration.ofMillis(50),
                Duration.ofMillis(60), 30);

        for (int round = 0; round < 10; round++) {
            assertThat(steps.subList(3 * round, 3 * round + 3).stream().map(ScheduleStep::kind)
                    .collect(Collectors.toSet())).isEqualTo(kinds);
        }
        assertThat(steps).allSatisfy(step -> {
            assertThat(step.memberIndex()).isBetween(0, 4);
            assertThat(step.faultNanos()).isBetween(MS_100.toNanos(), MS_900.toNanos());
            assertThat(step.calmNanos()).isBetween(Duration.ofMillis(50).toNanos(), Duration.ofMillis(60).toNanos());
            assertThat(step.pick()).isNotNegative();
        });
        assertThat(steps).extracting(ScheduleStep::number).startsWith(1, 2, 3).endsWith(30);
    }

    @Test
    void windowsOverlapOnlyWhenTheyShareAMoment() {
        FaultWindow first = new FaultWindow(FaultKind.KILL, "m0", 100, 200, "");
        assertThat(first.overlaps(new FaultWindow(FaultKind.PAUSE, "m1", 201, 300, ""))).isFalse();
        assertThat(first.overlaps(new FaultWindow(FaultKind.PAUSE, "m1", 200, 300, ""))).isTrue();
        assertThat(first.overlaps(new FaultWindow(FaultKind.PAUSE, "m1", 50, 120, ""))).isTrue();
        assertThat(first.lengthNanos()).isEqualTo(100);
        assertThatThrownBy(() -> new FaultWindow(FaultKind.KILL, "m0", 200, 100, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
    }

    @Test
    void iptablesListingsSplitIntoTheirArguments() {
        assertThat(Iptables.split("-A OUTPUT -o lo -p tcp -m cgroup --path \"etcdkit-nemesis/1-2\" -m comment "
                + "--comment \"etcdkit-nemesis:12:34\" -j DROP"))
                .containsExactly("-A", "OUTPUT", "-o", "lo", "-p", "tcp", "-m", "cgroup", "--path",
                        "etcdkit-nemesis/1-2", "-m", "comment", "--comment", "etcdkit-nemesis:12:34", "-j", "DROP");
        assertThat(Iptables.comment(Iptables.split("-A OUTPUT -m comment --comment \"a b\" -j DROP"))).isEqualTo("a b");
        assertThat(Partitions.pidOf("etcdkit-nemesis:4321:5")).isEqualTo(4321);
        assertThat(Partitions.pidOf("etcdkit-nemesis:x:5")).isEqualTo(-1);
    }
}
