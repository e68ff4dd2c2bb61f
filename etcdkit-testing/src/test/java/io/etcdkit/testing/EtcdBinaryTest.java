package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdBinaryTest {

    @TempDir
    Path tmp;

    @Test
    void etcdBinEnvPointingToAMissingFileGivesTheInstallHint() {
        Path missing = tmp.resolve("no-such-etcd");

        assertThatThrownBy(() -> EtcdBinary.locate(Optional.empty(), null,
                Map.of("ETCD_BIN", missing.toString(), "PATH", "/usr/bin:/bin")))
                .isInstanceOf(EtcdBinaryNotFoundException.class)
                .isInstanceOf(EtcdStartException.class)
                .hasMessageContaining("ETCD_BIN")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("apt-get update && apt-get install -y etcd-server etcd-client")
                .hasMessageContaining("set ETCD_BIN");
    }

    @Test
    void aNonExecutableFileIsRejected() throws Exception {
        Path file = Files.createFile(tmp.resolve("etcd"));

        assertThatThrownBy(() -> EtcdBinary.locate(Optional.empty(), null, Map.of("ETCD_BIN", file.toString())))
                .isInstanceOf(EtcdBinaryNotFoundException.class).hasMessageContaining("not executable");
    }

    @Test
    void withoutSettingsEtcdIsTakenFromThePath() throws Exception {
        Path fake = Files.createFile(tmp.resolve("etcd"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));

        assertThat(EtcdBinary.locate(Optional.empty(), null, Map.of("PATH", "/nonexistent:" + tmp))).isEqualTo(fake);
        assertThatThrownBy(() -> EtcdBinary.locate(Optional.empty(), null, Map.of("PATH", "/nonexistent")))
                .isInstanceOf(EtcdBinaryNotFoundException.class).hasMessageContaining("not on the PATH");
    }

    @Test
    void precedenceIsBuilderThenSystemPropertyThenEnvironment() throws Exception {
        Path a = Files.createFile(tmp.resolve("a"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path b = Files.createFile(tmp.resolve("b"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Map<String, String> env = Map.of("ETCD_BIN", "/nonexistent/etcd");

        assertThat(EtcdBinary.locate(Optional.of(a), b.toString(), env)).isEqualTo(a);
        assertThat(EtcdBinary.locate(Optional.empty(), b.toString(), env)).isEqualTo(b);
    }

    @Test
    void startWithAMissingBinaryFailsWithTheHintAndLeavesNothingBehind() {
        EtcdCluster cluster = EtcdCluster.builder().etcdBinary(tmp.resolve("missing-etcd")).build();

        assertThatThrownBy(cluster::start).isInstanceOf(EtcdBinaryNotFoundException.class)
                .hasMessageContaining(EtcdBinaryNotFoundException.INSTALL_HINT);
        assertThatThrownBy(cluster::clientEndpoints).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
        cluster.close();
    }

    @Test
    void theEtcdBinSystemPropertyIsHonouredByStart() {
        String previous = System.getProperty(EtcdBinary.SYSTEM_PROPERTY);
        System.setProperty(EtcdBinary.SYSTEM_PROPERTY, tmp.resolve("nope").toString());
        try (EtcdCluster cluster = EtcdCluster.builder().build()) {
            assertThatThrownBy(cluster::start).isInstanceOf(EtcdBinaryNotFoundException.class)
                    .hasMessageContaining("etcd.bin").hasMessageContaining(tmp.resolve("nope").toString());
        } finally {
            if (previous == null) {
                System.clearProperty(EtcdBinary.SYSTEM_PROPERTY);
            } else {
                System.setProperty(EtcdBinary.SYSTEM_PROPERTY, previous);
            }
        }
    }
}
