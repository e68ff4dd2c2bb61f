package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdkit lock --grace} honours its grace period when the JVM itself gets SIGTERM and the command ignores
 * TERM: the command (a shell and the process it started, which the JDK sees only by polling) is killed once the
 * grace has passed, the lock is released, and etcdkit exits without waiting further.
 */
@Timeout(120)
class LockGraceTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @TempDir
    Path dir;

    @Test
    @Tag("timing")
    void sigtermWithAStubbornCommandEndsSoonAfterTheGrace() throws Exception {
        Path pid = dir.resolve("pid");
        Process cli = new ProcessBuilder(ChildJvm.command("--endpoints", ETCD.clientEndpointsString(), "lock",
                "--grace", "2s", "locks/grace", "--", "sh", "-c", "trap '' TERM; echo $$ > '" + pid + "'; sleep 60; true"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("cli.out").toFile()).start();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pid)
                    && client.kv().range(Range.prefix("locks/grace/")).kvs().size() == 1);
            ProcessHandle shell = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
            List<ProcessHandle> tree = shell.descendants().toList();
            long start = System.nanoTime();
            cli.toHandle().destroy(); // SIGTERM to the etcdkit JVM only, as `kill PID` would
            assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("LOCK GRACE: exit " + tookMs + " ms after SIGTERM with --grace 2s");
            assertThat(cli.exitValue()).as(Files.readString(dir.resolve("cli.out"))).isEqualTo(143);
            assertThat(ChildProcess.hasEnded(shell)).isTrue();
            assertThat(tree).as("the shell's children, killed (a zombie waiting for PID 1 counts as ended)")
                    .isNotEmpty().allMatch(ChildProcess::hasEnded);
            assertThat(client.kv().range(Range.prefix("locks/grace/")).kvs()).as("released").isEmpty();
            // the grace is the one wait; releasing the lock and exiting take a few hundred ms at most
            assertThat(tookMs).isBetween(2000L, 3500L);
        }
    }
}
