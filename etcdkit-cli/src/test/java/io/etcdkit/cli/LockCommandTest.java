package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdkit lock NAME -- COMMAND} in-process against a real member: the command's environment and exit code,
 * release, --wait, a lock lost while the command runs, Ctrl-C. Mutual exclusion between processes is
 * {@link LockProcessesTest}.
 */
@Timeout(180)
class LockCommandTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @TempDir
    Path dir;

    private List<KeyValue> holders(String name) {
        return ETCD.client().kv().range(Range.prefix(name + "/")).kvs();
    }

    @Test
    void runsTheCommandWithKeyAndTokenReleasesAndExitsWithItsCode() throws IOException {
        Path seen = dir.resolve("seen");
        Cli.Result r = ETCD.run("lock", "locks/a", "--", "sh", "-c",
                "echo \"$ETCDKIT_LOCK_KEY $ETCDKIT_FENCING_TOKEN $ETCD_LOCK_KEY $ETCD_LOCK_REV\" > '" + seen
                        + "'; exit 7");
        assertThat(r.code()).as("%s", r).isEqualTo(7);
        String[] parts = Files.readString(seen).strip().split(" ");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).matches("locks/a/[0-9a-f]+");
        assertThat(Long.parseLong(parts[1])).isPositive();
        assertThat(parts[2]).as("etcdctl lock's ETCD_LOCK_KEY").isEqualTo(parts[0]);
        assertThat(parts[3]).as("etcdctl lock's ETCD_LOCK_REV").isEqualTo(parts[1]);
        assertThat(holders("locks/a")).as("released").isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void tokensGrowWithEachAcquisition() throws IOException {
        Path tokens = dir.resolve("tokens");
        for (int i = 0; i < 3; i++) {
            Cli.Result r = ETCD.run("lock", "locks/t", "--", "sh", "-c",
                    "echo $ETCDKIT_FENCING_TOKEN >> '" + tokens + "'");
            assertThat(r.code()).isZero();
        }
        List<Long> values = Files.readAllLines(tokens).stream().map(Long::parseLong).toList();
        assertThat(values).hasSize(3).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void waitGivesUpWithExitSixWhileSomeoneElseHoldsIt() throws Exception {
        try (Session other = Session.open(ETCD.client(), Duration.ofSeconds(10));
                HeldLock held = Mutex.of(other, "locks/busy").lock()) {
            Cli.Result r = ETCD.run("lock", "locks/busy", "--wait", "1s", "--", "true");
            assertThat(r.code()).as("%s", r).isEqualTo(6);
            assertThat(r.errLine()).isEqualTo("etcdkit lock: lock 'locks/busy' was not acquired within 1s (someone "
                    + "else holds it)");
            assertThat(holders("locks/busy")).extracting(KeyValue::key).containsExactly(held.key());
        }
    }

    @Test
    void aLostLockStopsTheCommandWithSigtermAndExitsEight() throws Exception {
        Path pid = dir.resolve("pid");
        try (Cli.Background running = ETCD.start("lock", "locks/lost", "--", "sh", "-c",
                "echo $$ > '" + pid + "'; exec sleep 60")) {
            await().atMost(Cli.WAIT).until(() -> Files.exists(pid) && holders("locks/lost").size() == 1);
            long sleeper = Long.parseLong(Files.readString(pid).strip());
            ETCD.client().leases().revoke(holders("locks/lost").get(0).lease()); // someone else ends the session
            assertThat(running.awaitExit()).isEqualTo(ExitCode.LOST);
            assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(running.err()).contains("etcdkit lock: lost lock 'locks/lost'")
                    .contains("lost lock 'locks/lost' while the command ran; it was stopped");
        }
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Path pid = dir.resolve("pid");
        try (Cli.Background running = ETCD.start("lock", "locks/stubborn", "--grace", "1s", "--", "sh", "-c",
                "trap '' TERM; echo $$ > '" + pid + "'; sleep 60; true")) {
            await().atMost(Cli.WAIT).until(() -> Files.exists(pid) && holders("locks/stubborn").size() == 1);
            ProcessHandle shell = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).orElseThrow();
            List<ProcessHandle> tree = shell.descendants().toList();
            ETCD.client().leases().revoke(holders("locks/stubborn").get(0).lease());
            assertThat(running.awaitExit()).isEqualTo(ExitCode.LOST);
            assertThat(ChildProcess.hasEnded(shell)).isTrue();
            assertThat(tree).isNotEmpty().allMatch(ChildProcess::hasEnded);
        }
    }

    @Test
    void interruptStopsTheCommandAndReleasesTheLock() throws Exception {
        Path pid = dir.resolve("pid");
        try (Cli.Background running = ETCD.start("lock", "locks/int", "--", "sh", "-c",
                "echo $$ > '" + pid + "'; exec sleep 60")) {
            await().atMost(Cli.WAIT).until(() -> Files.exists(pid));
            long sleeper = Long.parseLong(Files.readString(pid).strip());
            assertThat(running.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(holders("locks/int")).isEmpty();
        }
    }

    @Test
    void aMissingOrUnknownCommandIsReported() {
        Cli.Result none = ETCD.run("lock", "locks/x");
        assertThat(none.code()).isEqualTo(2);
        Cli.Result dashOnly = ETCD.run("lock", "locks/x", "--");
        assertThat(dashOnly.code()).isEqualTo(2);
        assertThat(dashOnly.errLine()).contains("Missing required parameter: 'COMMAND'");
        Cli.Result noDashes = ETCD.run("lock", "locks/x", "sh", "-c", "true");
        assertThat(noDashes.code()).isEqualTo(2);
        assertThat(noDashes.errLine()).contains("'-c'").contains("write -- before the command");
        assertThat(ETCD.run("lock", "locks/x", "true").code()).as("no options, no -- needed").isZero();
        Cli.Result unknown = ETCD.run("lock", "locks/x", "--", "no-such-program-etcdkit");
        assertThat(unknown.code()).isEqualTo(127);
        assertThat(unknown.errLine()).contains("cannot run 'no-such-program-etcdkit'");
        assertThat(holders("locks/x")).isEmpty();
    }
}
