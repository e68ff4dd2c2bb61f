package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcdkit soak}: its options, and a short run that prints the summary and writes the report files. */
class SoakCommandTest {
    @Test
    void rejectsNonsenseDurationsAndClusterSizesWithAUsageError() {
        Cli.Result both = Cli.run("soak", "--minutes", "1", "--seconds", "10");
        assertThat(both.code()).as(both.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(both.err()).contains("--minutes or --seconds, not both");
        Cli.Result zero = Cli.run("soak", "--minutes", "0");
        assertThat(zero.code()).as(zero.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).contains("--minutes must be a positive number");
        Cli.Result tooLong = Cli.run("soak", "--minutes", "100000");
        assertThat(tooLong.code()).as(tooLong.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(tooLong.err()).contains("between 1 s and 24 h");
        Cli.Result four = Cli.run("soak", "--members", "4", "--seconds", "5");
        assertThat(four.code()).as(four.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(four.err()).contains("--members must be 3 or 5");
    }

    @Test
    void aShortRunPrintsTheSummaryAndTheTimelinePathAndExitsZero(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("soak", "--minutes", "0.15", "--seed", "3", "--out", dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).contains("seed 3 (replay with --seed 3), 9 s of faults on 3 members");
        assertThat(r.out()).startsWith("SOAK seed 3, 3 members").contains("violations: 0 — PASSED")
                .contains("timeline: " + dir.resolve("soak-timeline.png"));
        assertThat(Files.size(dir.resolve("soak-timeline.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("soak-report.txt"))).contains("fault windows");
    }
}
