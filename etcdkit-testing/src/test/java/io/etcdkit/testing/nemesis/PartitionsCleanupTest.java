package io.etcdkit.testing.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Rules of a JVM that ends without healing: its shutdown hook heals; after kill -9, the next removeStale removes its
 * rules and kills the etcd member it left behind.
 */
class PartitionsCleanupTest {

    @Test
    void aJvmThatExitsWithoutHealingLeavesNoRule() throws Exception {
        assumeTrue(Partitions.probe().available(), () -> "partitions unavailable: " + Partitions.probe().reason());
        Process child = launch("exit");
        String tag = readTag(child, new String[2]);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(rulesTagged(tag)).isZero();
    }

    @Test
    void aKilledJvmsRulesStayUntilTheNextRemoveStaleWhichAlsoKillsItsOrphanedMember() throws Exception {
        assumeTrue(Partitions.probe().available(), () -> "partitions unavailable: " + Partitions.probe().reason());
        Process child = launch("wait");
        String[] member = new String[2];
        try {
            String tag;
            try {
                tag = readTag(child, member);
                assertThat(rulesTagged(tag)).isEqualTo(2);
            } finally {
                child.destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(rulesTagged(tag)).as("rules of a killed JVM stay until someone cleans up").isEqualTo(2);
            ProcessHandle orphan = ProcessHandle.of(Long.parseLong(member[0])).orElseThrow();
            assertThat(orphan.isAlive()).as("its etcd member outlived it").isTrue();

            assertThat(Partitions.removeStale()).isGreaterThanOrEqualTo(2);

            assertThat(rulesTagged(tag)).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(orphan.isAlive())
                    .as("the orphaned member is killed with its stale cgroup").isFalse());
        } finally {
            reapOrphan(member);
        }
    }

    /** The killed JVM's etcd member outlives it (no shutdown hook ran): end it and delete its directory. */
    private static void reapOrphan(String[] member) throws Exception {
        if (member[0] != null) {
            ProcessHandle.of(Long.parseLong(member[0])).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (member[1] != null) {
            Path dir = Path.of(member[1]);
            if (java.nio.file.Files.exists(dir)) {
                try (var paths = java.nio.file.Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static Process launch(String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", PartitionsInAnotherJvm.class.getName(), mode))
                .redirectErrorStream(true).start();
    }

    private static String readTag(Process child, String[] member) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("MEMBER ")) {
                String[] parts = line.split(" ", 3);
                member[0] = parts[1];
                member[1] = parts[2];
            }
            if (line.startsWith("TAG ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-child");
                drain.setDaemon(true);
                drain.start();
                return line.substring(4);
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child JVM printed no tag:\n" + seen);
    }

    private static long rulesTagged(String tag) {
        return Iptables.TABLES.stream().flatMap(t -> Iptables.list(t).stream())
                .filter(rule -> tag.equals(Iptables.comment(rule))).count();
    }
}
