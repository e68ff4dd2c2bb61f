package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdkit up} in-process (interrupting it is what Ctrl-C does): the cluster lives in its folder, keeps its
 * data across runs, and leaves no etcd process behind. {@link TerminalTest} drives it through a real terminal.
 */
@Timeout(300)
class UpCommandTest {
    @TempDir
    Path dir;

    /** etcd processes running on data under {@code folder}. */
    static List<ProcessHandle> etcdProcessesIn(Path folder) {
        String marker = "--data-dir=" + folder;
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker))
                .orElse(false)).toList();
    }

    static String endpointsOf(String out) {
        return out.lines().filter(l -> l.startsWith("export ETCD_ENDPOINTS=")).findFirst().orElseThrow()
                .substring("export ETCD_ENDPOINTS=".length());
    }

    @Test
    void theClusterKeepsItsDataAcrossRunsAndStopsCleanly() {
        Path folder = dir.resolve("cluster");
        String endpoints;
        try (Cli.Background up = Cli.start("up", "--dir", folder.toString(), "--client-port", "0")) {
            up.awaitOut("Press Ctrl-C to stop.");
            assertThat(up.out()).contains("etcd cluster of 1 member(s) is up (new); data in " + folder);
            endpoints = endpointsOf(up.out());
            assertThat(etcdProcessesIn(folder)).hasSize(1);
            try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
                client.kv().put("kept", "across runs");
            }
            assertThat(up.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(up.err()).contains("stopped the etcd cluster; its data stays in " + folder);
        }
        assertThat(etcdProcessesIn(folder)).as("no etcd left running").isEmpty();
        assertThat(folder.resolve("cluster.json")).exists();
        assertThat(folder.resolve("m0/etcd.log")).exists();
        assertThat(folder.resolve("m0/etcd.pid")).doesNotExist();

        try (Cli.Background again = Cli.start("up", "--dir", folder.toString(), "-o", "json")) {
            again.awaitOut("\"endpoints\"");
            JsonNode json = Cli.jsonLinesOf(again.out().replace("\n", " ")).get(0);
            assertThat(json.get("created").asBoolean()).isFalse();
            String sameEndpoints = json.get("endpoints").get(0).asText();
            assertThat(sameEndpoints).as("the ports are kept with the folder").isEqualTo(endpoints);
            assertThat(json.get("members").get(0).get("log").asText()).endsWith("m0/etcd.log");
            try (EtcdClient client = EtcdClient.builder().endpoints(sameEndpoints).build()) {
                assertThat(client.kv().get("kept").map(KeyValue::valueAsString)).contains("across runs");
            }
            Cli.Result second = Cli.run("up", "--dir", folder.toString());
            assertThat(second.code()).isEqualTo(1);
            assertThat(second.errLine()).contains("another 'etcdkit up' is running in " + folder);
            Cli.Result mismatch = Cli.run("up", "--dir", dir.resolve("other").toString(), "--members", "12");
            assertThat(mismatch.code()).isEqualTo(2);
            assertThat(again.stop()).isEqualTo(ExitCode.INTERRUPTED);
        }
        assertThat(etcdProcessesIn(folder)).isEmpty();

        Cli.Result wrongSize = Cli.run("up", "--dir", folder.toString(), "--members", "3");
        assertThat(wrongSize.code()).isEqualTo(2);
        assertThat(wrongSize.errLine()).contains("holds a cluster of 1 members; run with --members 1, or add --fresh");

        try (Cli.Background fresh = Cli.start("up", "--dir", folder.toString(), "--fresh", "--client-port", "0")) {
            fresh.awaitOut("Press Ctrl-C to stop.");
            assertThat(fresh.out()).contains("(new)");
            try (EtcdClient client = EtcdClient.builder().endpoints(endpointsOf(fresh.out())).build()) {
                assertThat(client.kv().exists("kept")).as("--fresh starts empty").isFalse();
            }
            fresh.stop();
        }
        assertThat(etcdProcessesIn(folder)).isEmpty();
    }

    @Test
    void aMemberLeftRunningByAKilledRunIsStoppedByTheNextRun() throws Exception {
        Path folder = dir.resolve("crashed");
        try (Cli.Background up = Cli.start("up", "--dir", folder.toString(), "--client-port", "0")) {
            up.awaitOut("Press Ctrl-C to stop.");
            // Simulate a run that died without cleaning up: forget the member, keep its process and pid file.
            List<ProcessHandle> orphan = etcdProcessesIn(folder);
            assertThat(orphan).hasSize(1);
            Path pidFile = folder.resolve("m0/etcd.pid");
            String pid = Files.readString(pidFile);
            List<String> command = List.of(orphan.get(0).info().commandLine().orElseThrow().split(" "));
            up.stop();
            assertThat(etcdProcessesIn(folder)).isEmpty();
            // Start a stand-in "leftover" exactly as up would have left it: same command line, pid recorded.
            Process leftover = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(folder.resolve("m0/leftover.log").toFile()).start();
            Files.writeString(pidFile, Long.toString(leftover.pid()));
            assertThat(pid).isNotBlank();
            try (Cli.Background next = Cli.start("up", "--dir", folder.toString())) {
                next.awaitOut("Press Ctrl-C to stop.");
                assertThat(next.err()).contains("stopped etcd process " + leftover.pid() + " of member m0");
                assertThat(leftover.isAlive()).isFalse();
                assertThat(etcdProcessesIn(folder)).hasSize(1);
                next.stop();
            } finally {
                leftover.destroyForcibly();
            }
        }
        assertThat(etcdProcessesIn(folder)).isEmpty();
    }
}
