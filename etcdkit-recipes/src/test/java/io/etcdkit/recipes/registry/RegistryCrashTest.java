package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registrant that really crashes: a child JVM registers an instance (TTL 3 s) and is killed with SIGKILL, so
 * nothing revokes its lease. A watcher in this JVM must drop the instance once etcd expires the lease.
 */
class RegistryCrashTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void aKilledRegistrantProcessDisappearsFromAWatcherWithinTheTtl() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
             ServiceWatch watch = ServiceRegistry.of(client).watch("crash-proc")) {
            assertThat(watch.awaitReady(Duration.ofSeconds(10))).isTrue();
            Process child = startRegistrant("crash-proc", "child-1");
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                CompletableFuture<String> ready = readUntilReady(child, output);
                assertThat(ready.get(60, TimeUnit.SECONDS)).as("child output: %s", output).startsWith("READY");
                assertThat(ServiceRegistryTest.awaitMillis(Duration.ofSeconds(10),
                        () -> watch.instance("child-1").isPresent())).as("the watcher sees the child").isNotNegative();

                long killedAt = System.nanoTime();
                child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no revoke
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long gone = ServiceRegistryTest.awaitMillis(TTL.plus(MARGIN), () -> watch.instance("child-1").isEmpty());
                long goneMs = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("REGISTRY CRASH: gone after %d ms (TTL %d s, child killed with SIGKILL, exit %d)%n",
                        gone < 0 ? -1 : goneMs, TTL.toSeconds(), child.exitValue());
                assertThat(gone).as("gone within TTL + %d s", MARGIN.toSeconds()).isNotNegative();
                assertThat(ServiceRegistry.of(client).lookup("crash-proc")).isEmpty();
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Process startRegistrant(String service, String id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", childClassPath(),
                RegistrantProcess.class.getName(), ETCD.clientEndpointsString(), service, id,
                String.valueOf(TTL.toSeconds()));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /**
     * The child runs on the class path: this test's JVM has the library on the module path ({@code jdk.module.path}),
     * its test dependencies on the class path, and the test classes patched into the module, so all three are
     * joined.
     */
    private static String childClassPath() throws Exception {
        List<String> parts = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            if (!value.isBlank()) {
                parts.add(value);
            }
        }
        parts.add(Path.of(RegistrantProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, parts);
    }

    /** Reads the child's output on a daemon thread; completes with the READY line (or fails when output ends). */
    private static CompletableFuture<String> readUntilReady(Process child, List<String> output) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("READY")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("the child exited before READY: " + output));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }, "registrant-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }
}
