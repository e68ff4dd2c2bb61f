package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdkit up} and {@code etcdkit watch} as a person uses them: in a real terminal (tmux), as their own
 * process, stopped with Ctrl-C. Skipped only when tmux is not installed (scripts/ensure-tools.sh installs it).
 */
@Timeout(300)
class TerminalTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTmux() {
        assumeTrue(TmuxTerminal.available(), "tmux is not installed: the terminal tests of 'etcdkit up' and "
                + "'etcdkit watch' need it (scripts/ensure-tools.sh installs it; apt-get install tmux)");
    }

    @Test
    void upPrintsTheEndpointsAndCtrlCStopsEveryMember() {
        Path folder = dir.resolve("cluster");
        try (TmuxTerminal terminal = TmuxTerminal.start(dir, "up", "--members", "3", "--dir", folder.toString(),
                "--client-port", "0")) {
            String screen = terminal.awaitScreen("Press Ctrl-C to stop.");
            Matcher export = Pattern.compile("export ETCD_ENDPOINTS=(\\S+)").matcher(screen);
            assertThat(export.find()).as(screen).isTrue();
            String endpoints = export.group(1);
            assertThat(endpoints.split(",")).hasSize(3);
            assertThat(screen).contains("  m0  http://127.0.0.1:").contains("  m2  http://127.0.0.1:");
            assertThat(UpCommandTest.etcdProcessesIn(folder)).hasSize(3);
            try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
                client.kv().put("through", "the terminal");
                assertThat(client.kv().get("through").map(KeyValue::valueAsString)).contains("the terminal");
                assertThat(client.cluster().members()).hasSize(3);
            }

            terminal.sendKeys("C-c");
            assertThat(terminal.awaitExit()).isEqualTo(130);
            assertThat(terminal.screen()).contains("stopped the etcd cluster; its data stays in " + folder);
            assertThat(Eventually.holds(Cli.WAIT, () -> UpCommandTest.etcdProcessesIn(folder).isEmpty()))
                    .as("no etcd process is left: %s", UpCommandTest.etcdProcessesIn(folder)).isTrue();
        }
    }

    @Test
    void watchPrintsChangesMadeMeanwhileAndCtrlCEndsIt() {
        try (TmuxTerminal terminal = TmuxTerminal.start(dir, "watch", "--prefix", "tty/", "--endpoints",
                ETCD.clientEndpointsString());
                EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpointsString()).build()) {
            terminal.awaitScreen("# watching from revision");
            long rev = client.kv().put("tty/a", "1").revision();
            client.kv().put("tty/b", "two words");
            client.kv().delete("tty/a");
            String screen = terminal.awaitScreen("DELETE tty/a (rev " + (rev + 2) + ")");
            assertThat(screen).contains("PUT tty/a = 1 (rev " + rev + ")\nPUT tty/b = two words (rev " + (rev + 1)
                    + ")\nDELETE tty/a (rev " + (rev + 2) + ")");

            terminal.sendKeys("C-c");
            assertThat(terminal.awaitExit()).isEqualTo(130);
        }
    }
}
