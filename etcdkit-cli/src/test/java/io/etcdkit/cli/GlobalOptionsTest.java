package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Options every command takes, error reporting, exit codes in the help, and the real {@code Main} process. */
class GlobalOptionsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void anUnreachableClusterIsExitFiveWithOneLine() {
        Cli.Result r = Cli.run("get", "k", "--endpoints", "http://127.0.0.1:1", "--timeout", "2s");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.errLine()).startsWith("etcdkit get: ").contains("http://127.0.0.1:1")
                .contains("Check that etcd is running");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Cli.Result r = Cli.run("get", "k", "--endpoints", "http://127.0.0.1:1", "--timeout", "1s", "--verbose");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err().lines().count()).isGreaterThan(3);
        assertThat(r.err()).contains("\tat io.etcdkit.");
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        assertThat(Cli.run("--endpoints", ETCD.clientEndpointsString(), "put", "a", "1").code()).isZero();
        assertThat(Cli.run("put", "b", "2", "--endpoints", ETCD.clientEndpointsString()).code()).isZero();
        assertThat(Cli.run("lease", "grant", "--endpoints", ETCD.clientEndpointsString(), "10").code()).isZero();
        assertThat(Cli.run("-o", "JSON", "get", "a", "--endpoints", ETCD.clientEndpointsString()).json()
                .get("count").asInt()).isEqualTo(1);
    }

    @Test
    void usageErrorsAreOneLineWithAHint() {
        Cli.Result typo = Cli.run("gett", "k");
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.errLine()).contains("'gett'").contains("did you mean get?").contains("etcdkit --help");
        Cli.Result option = Cli.run("get", "k", "--prefx");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.errLine()).contains("--prefx").contains("etcdkit get --help");
        Cli.Result timeout = Cli.run("get", "k", "--timeout", "0s");
        assertThat(timeout.code()).isEqualTo(2);
        assertThat(timeout.errLine()).contains("positive duration");
        Cli.Result half = Cli.run("get", "k", "--cert", "/tmp/c.pem", "--endpoints", ETCD.clientEndpointsString());
        assertThat(half.code()).isEqualTo(2);
        Cli.Result missingCa = Cli.run("get", "k", "--cacert", "/no/such/ca.pem");
        assertThat(missingCa.code()).isEqualTo(2);
        assertThat(missingCa.errLine()).contains("--cacert /no/such/ca.pem: no such readable file");
        Cli.Result password = Cli.run("get", "k", "--password", "x", "--endpoints", ETCD.clientEndpointsString());
        assertThat(password.code()).isEqualTo(2);
        assertThat(password.errLine()).contains("--password needs --user");
    }

    @Test
    void everyHelpPageListsTheExitCodes() {
        Cli.Result root = Cli.run("--help");
        assertThat(root.code()).isZero();
        assertThat(root.out()).contains("Exit codes:").contains("4    compare failed").contains("130  interrupted")
                .contains("watch").contains("txn").contains("lock").contains("registry").contains("bulk");
        for (String[] cmd : new String[][] {{"get", "--help"}, {"txn", "--help"}, {"lease", "grant", "--help"},
            {"lock", "--help"}, {"up", "--help"}}) {
            Cli.Result help = Cli.run(cmd);
            assertThat(help.code()).isZero();
            assertThat(help.out()).as(String.join(" ", cmd)).contains("Exit codes:").contains("--endpoints");
        }
    }

    @Test
    void theMainProcessReadsEtcdEndpointsFromTheEnvironmentAndExitsWithTheCode() throws Exception {
        ProcessBuilder put = new ProcessBuilder(ChildJvm.command("put", "env/key", "from-env"));
        put.environment().put("ETCD_ENDPOINTS", ETCD.clientEndpointsString());
        assertThat(runToEnd(put)).startsWith("0:OK (revision ");
        ProcessBuilder get = new ProcessBuilder(ChildJvm.command("get", "env/key"));
        get.environment().put("ETCD_ENDPOINTS", ETCD.clientEndpointsString());
        assertThat(runToEnd(get)).isEqualTo("0:from-env\n");
        ProcessBuilder missing = new ProcessBuilder(ChildJvm.command("get", "env/none"));
        missing.environment().put("ETCD_ENDPOINTS", ETCD.clientEndpointsString());
        assertThat(runToEnd(missing)).isEqualTo("3:etcdkit get: key 'env/none' not found\n");
    }

    private static String runToEnd(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + output;
    }
}
