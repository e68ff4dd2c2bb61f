package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runnable jar on Java 25 prints no JDK warning (no {@code WARNING:} line on stderr) when run as the
 * {@code ./etcdkit} launcher runs it: with {@code java-24.options} ({@code --sun-misc-unsafe-memory-access=allow},
 * because gRPC's Netty and protobuf-java 3.25 use {@code sun.misc.Unsafe}, and the JDK warns once per JVM from
 * Java 24) and the manifest's {@code Enable-Native-Access: ALL-UNNAMED} (Netty's native transport); and as a
 * plain {@code java -jar} without those options, where {@link Main} turns off the shaded Netty's Unsafe use and
 * the program's protobuf-java (4.36) has no Unsafe path for the generated messages.
 *
 * <p>Runs after {@code package} (surefire execution {@code jar-tests}, which sets {@code etcdkit.jar.built});
 * skipped when there is no Java 25 ({@code -Djava25.java=PATH}, default
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}).
 */
class JarOnJava25IT {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Path JAR = Path.of("target", "etcdkit.jar");
    private static final Path OPTIONS = Path.of("java-24.options");
    private static Path java25;

    @BeforeAll
    static void findJava25() {
        assumeTrue(Boolean.getBoolean("etcdkit.jar.built"), "runs in the jar-tests execution, after package");
        java25 = Path.of(System.getProperty("java25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
        assumeTrue(Files.isExecutable(java25), "no Java 25 at " + java25);
        assertThat(JAR).exists();
    }

    @Test
    void asTheLauncherRunsItNoCommandPrintsAJdkWarning() throws Exception {
        List<String> launcher = List.of(java25.toString(), "@" + OPTIONS.toAbsolutePath(), "-jar", JAR.toString());
        String endpoints = ETCD.clientEndpointsString();
        assertNoWarning(run(launcher, "--help"));
        assertNoWarning(run(launcher, "--endpoints", endpoints, "put", "jdk25/key", "v1"));
        assertNoWarning(run(launcher, "--endpoints", endpoints, "get", "jdk25/key"));
        assertNoWarning(run(launcher, "--endpoints", endpoints, "status"));
        assertNoWarning(run(launcher, "--endpoints", endpoints, "watch", "--snapshot", "--prefix", "jdk25/"));
    }

    @Test
    void aPlainJavaJarTalkingToEtcdPrintsNoJdkWarning() throws Exception {
        List<String> plain = List.of(java25.toString(), "-jar", JAR.toString());
        String endpoints = ETCD.clientEndpointsString();
        assertNoWarning(run(plain, "--endpoints", endpoints, "put", "jdk25/plain", "v1"));
        Run get = run(plain, "--endpoints", endpoints, "get", "jdk25/plain");
        assertNoWarning(get);
        assertThat(get.out()).contains("v1");
        assertNoWarning(run(plain, "--endpoints", endpoints, "status"));
        assertNoWarning(run(plain, "--endpoints", endpoints, "watch", "--snapshot", "--prefix", "jdk25/"));
    }

    @Test
    void theManifestAllowsNativeAccessAndAPlainJavaJarStartsSilently() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
        }
        assertNoWarning(run(List.of(java25.toString(), "-jar", JAR.toString()), "--help"));
    }

    private static void assertNoWarning(Run run) {
        assertThat(run.err().lines().filter(l -> l.startsWith("WARNING:")).toList())
                .as("stderr of %s", run.command()).isEmpty();
    }

    private record Run(List<String> command, String out, String err) {
    }

    /** Runs the jar; a command that does not end by itself (watch) is stopped after 5 s. */
    private static Run run(List<String> java, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jdk25-out", ".txt");
        Path err = Files.createTempFile("jdk25-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s stops on SIGTERM", command).isTrue();
            } else {
                assertThat(p.exitValue()).as("exit code of %s: %s", command,
                        Files.readString(err, StandardCharsets.UTF_8)).isZero();
            }
            return new Run(command, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
