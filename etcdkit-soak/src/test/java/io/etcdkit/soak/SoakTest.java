package io.etcdkit.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.Partitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nemesis soak of the suite: 2 minutes of faults from seed 17 on 3 members (every fault kind; the partition
 * kinds only where {@link Partitions#probe()} says they are available — in CI we are root and
 * {@code scripts/ensure-tools.sh} installs iptables), under all six workloads. Every checker must find 0
 * violations and decide, every planned fault kind must have happened at least once, and every workload must have
 * completed an operation after the last fault was healed. The report and timeline go to
 * {@code target/soak-test/}.
 */
class SoakTest {
    static final long SEED = 17;

    @Test
    @Timeout(300)
    void twoMinutesOfRandomFaultsLeaveEveryCheckerClean() throws Exception {
        Path out = Path.of("target", "soak-test");
        SoakResult result = SoakRunner.run(SoakOptions.defaults().withDuration(Duration.ofMinutes(2)).withSeed(SEED)
                .withMembers(3).withKinds(EnumSet.allOf(FaultKind.class)).withOutDir(out));
        String report = SoakReport.text(result);
        System.out.println(report);

        Set<FaultKind> planned = EnumSet.allOf(FaultKind.class);
        if (!Partitions.probe().available()) {
            planned.removeIf(FaultKind::isPartition);
        }
        assertThat(result.plannedKinds()).isEqualTo(planned);
        assertThat(result.faultsByKind().keySet()).as("every planned fault kind happened: %s", report)
                .containsAll(planned);
        for (WorkloadResult w : result.workloads()) {
            assertThat(w.verdict().violations()).as("%s violations:%n%s", w.name(), report).isZero();
            assertThat(w.verdict().conclusive()).as("%s decided:%n%s", w.name(), report).isTrue();
            assertThat(w.progressAfterHeal()).as("%s made progress after the heal:%n%s", w.name(), report).isTrue();
            assertThat(w.count(Outcome.OK)).as("%s operations", w.name()).isPositive();
        }
        assertThat(result.passed()).isTrue();
        assertThat(out.resolve(SoakReport.PNG_FILE)).exists();
    }
}
