package io.etcdkit.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every workload and checker on a healthy 3-member cluster for 15 s, no faults: the checkers must find nothing,
 * every workload must make progress, and the report files must be written (to
 * {@code target/soak-baseline/}). (The fault run is {@link SoakTest}.)
 */
class BaselineSoakTest {
    @Test
    void withoutFaultsEveryCheckerIsCleanAndTheReportIsWritten() throws Exception {
        Path dir = Path.of("target", "soak-baseline");
        SoakResult result = SoakRunner.run(SoakOptions.defaults().withDuration(Duration.ofSeconds(15))
                .withKinds(Set.of()).withSeed(7).withOutDir(dir));
        String summary = SoakReport.summary(result);
        System.out.println(summary);
        assertThat(result.faults()).isEmpty();
        assertThat(result.workloads()).extracting(WorkloadResult::name).containsExactly("registers", "watches",
                "locks", "elections", "cached-view", "work-queue");
        for (WorkloadResult w : result.workloads()) {
            assertThat(w.verdict().details()).as("%s: %s", w.name(), summary).isEmpty();
            assertThat(w.verdict().isClean()).as(summary).isTrue();
            assertThat(w.count(Outcome.OK)).as("%s made operations", w.name()).isPositive();
            assertThat(w.progressAfterHeal()).as(w.name()).isTrue();
        }
        assertThat(result.passed()).isTrue();
        assertThat(Files.readString(dir.resolve(SoakReport.TEXT_FILE))).startsWith("SOAK seed 7, 3 members");
        assertThat(Files.size(dir.resolve(SoakReport.PNG_FILE))).isGreaterThan(10_000);
    }
}
