package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaging note of docs/client.md ("Packaging your service"), checked on real jars: the examples' shaded jar,
 * built with the {@code ServicesResourceTransformer}, runs {@link FirstServiceExample} against a real etcd in a
 * child JVM. The same jar shaded without the transformer keeps one jar's copy of each gRPC service file (here
 * grpc-core's, first copy wins, so it happens to work); with the other copy (grpc-netty-shaded's, as a
 * last-copy-wins merge or another dependency order leaves) it fails on the first call as the guide says.
 *
 * <p>Runs after {@code package} (surefire execution {@code jar-tests}, which sets {@code etcdkit.jar.built}).
 */
class ShadedJarIT {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Path MERGED = Path.of("target", "etcdkit-examples.jar");
    private static final Path UNMERGED = Path.of("target", "etcdkit-examples-unmerged-services.jar");

    @BeforeAll
    static void jarsAreBuilt() {
        assumeTrue(Boolean.getBoolean("etcdkit.jar.built"), "runs in the jar-tests execution, after package");
        assertThat(MERGED).exists();
        assertThat(UNMERGED).exists();
    }

    @Test
    void theShadedJarWithMergedServiceFilesRunsTheFirstServiceExample() throws Exception {
        Run run = run(MERGED);
        assertThat(run.exit()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(run.out().lines()).contains("leader wrote the plan: true",
                "ran report-2 under its lock: true (hi, weekly report done)");
    }

    @Test
    void withoutTheTransformerOnlyOneJarsCopyOfEachServiceFileSurvives() throws Exception {
        String resolvers = "META-INF/services/io.grpc.NameResolverProvider";
        String balancers = "META-INF/services/io.grpc.LoadBalancerProvider";
        assertThat(providers(MERGED, resolvers)).contains("io.grpc.internal.DnsNameResolverProvider",
                "io.grpc.netty.shaded.io.grpc.netty.UdsNameResolverProvider");
        assertThat(providers(MERGED, balancers)).hasSizeGreaterThan(1);
        // first copy wins: with this dependency order grpc-core's copies survive, so this jar works by luck
        assertThat(providers(UNMERGED, resolvers)).containsExactly("io.grpc.internal.DnsNameResolverProvider");
        assertThat(providers(UNMERGED, balancers)).containsExactly("io.grpc.internal.PickFirstLoadBalancerProvider");
    }

    @Test
    void whenTheWrongCopyWinsTheFirstCallFailsAsTheGuideSays(@TempDir Path dir) throws Exception {
        // what a last-copy-wins merge (or another dependency order) leaves: grpc-netty-shaded's resolver only
        Path wrong = dir.resolve("wrong-copy-wins.jar");
        String resolvers = "META-INF/services/io.grpc.NameResolverProvider";
        withEntry(UNMERGED, wrong, resolvers, "io.grpc.netty.shaded.io.grpc.netty.UdsNameResolverProvider\n");
        Run run = run(wrong);
        assertThat(run.exit()).as("exit code; stdout:%n%s", run.out()).isNotZero();
        assertThat(run.err()).contains("IllegalArgumentException")
                .contains("Address types of NameResolver 'unix' for '127.0.0.1:")
                .contains("not supported by transport");
    }

    /** The provider class names listed in {@code entry} of {@code jar}. */
    private static List<String> providers(Path jar, String entry) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry e = file.getJarEntry(entry);
            assertThat(e).as("%s in %s", entry, jar).isNotNull();
            String text = new String(file.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    /** Copies {@code from} to {@code to} with {@code entry}'s content replaced by {@code content}. */
    private static void withEntry(Path from, Path to, String entry, String content) throws IOException {
        Files.copy(from, to);
        try (FileSystem jar = FileSystems.newFileSystem(to)) { // rewrites one entry, copies the others as they are
            Files.writeString(jar.getPath(entry), content, StandardCharsets.UTF_8);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path jar) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("shaded-out", ".txt");
        Path err = Files.createTempFile("shaded-err", ".txt");
        try {
            Process p = new ProcessBuilder(java.toString(), "-cp", jar.toString(),
                    FirstServiceExample.class.getName(), ETCD.clientEndpointsString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(jar + " did not end within 90 s; stdout: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
