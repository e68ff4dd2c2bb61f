package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.check.FencingChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdkit lock} excludes across processes: several {@code etcdkit} JVMs contend for one lock, each running
 * a critical section that reads a counter file, sleeps, writes it back plus one, and logs start and end with its
 * fencing token. The fencing checker then judges the log: no two sections overlapped (no lost increment), tokens
 * only grew, none was reused.
 */
@Timeout(300)
class LockProcessesTest {
    private static final int PROCESSES = 4;

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @TempDir
    Path dir;

    @Test
    void criticalSectionsOfSeveralProcessesNeverOverlapAndTokensIncrease() throws Exception {
        Path log = dir.resolve("sections.log");
        Path counter = dir.resolve("counter");
        Files.writeString(counter, "0\n");
        String section = "n=$(cat '" + counter + "'); "
                + "echo \"start $ETCDKIT_FENCING_TOKEN $n\" >> '" + log + "'; "
                + "sleep 0.3; "
                + "echo $((n+1)) > '" + counter + "'; "
                + "echo \"end $ETCDKIT_FENCING_TOKEN $((n+1))\" >> '" + log + "'";
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            processes.add(new ProcessBuilder(ChildJvm.command("--endpoints", ETCD.clientEndpointsString(), "lock",
                    "locks/shared", "--", "sh", "-c", section))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("process-" + i + ".out").toFile()).start());
        }
        for (int i = 0; i < PROCESSES; i++) {
            Process p = processes.get(i);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("process %d ended", i).isTrue();
            assertThat(p.exitValue()).as("process %d: %s", i, Files.readString(dir.resolve("process-" + i + ".out")))
                    .isZero();
        }

        FencingChecker checker = new FencingChecker(0);
        List<String> lines = Files.readAllLines(log);
        for (String line : lines) {
            String[] f = line.split(" ");
            long token = Long.parseLong(f[1]);
            String holder = "token-" + token;
            long value = Long.parseLong(f[2]);
            if (f[0].equals("start")) {
                checker.acquired(holder, token);
            } else {
                checker.guardedWrite(holder, token, value - 1, value);
                checker.released(holder, token);
            }
        }
        FencingChecker.Report report = checker.check(Long.parseLong(Files.readString(counter).strip()));
        report.assertClean();
        assertThat(report.acquisitions()).isEqualTo(PROCESSES);
        assertThat(report.acceptedWrites()).isEqualTo(PROCESSES);
        assertThat(report.maxConcurrentHolders()).as("sections overlapped:\n%s", String.join("\n", lines))
                .isEqualTo(1);
        List<Long> starts = lines.stream().filter(l -> l.startsWith("start")).map(l -> Long.parseLong(l.split(" ")[1]))
                .toList();
        assertThat(starts).isSorted().doesNotHaveDuplicates();
    }
}
