package io.etcdkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.spring.app.DemoApplication;
import io.etcdkit.spring.discovery.EtcdDiscoveryClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A web application registers itself at start-up; another process's {@link DiscoveryClient} sees it with its
 * host, port and metadata, and sees it vanish at once on shutdown, and within the lease TTL after a SIGKILL.
 */
class RegistrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(3);

    static EtcdClient otherClient;
    static EtcdDiscoveryClient other;

    @BeforeAll
    static void observer() {
        otherClient = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        other = new EtcdDiscoveryClient(ServiceRegistry.of(otherClient), Duration.ofSeconds(10));
    }

    @AfterAll
    static void closeObserver() {
        other.close();
        otherClient.close();
    }

    @Test
    void theRegistrationIsVisibleToAnotherDiscoveryClientAndVanishesAtOnceOnShutdown() {
        ConfigurableApplicationContext app = Apps.start(WebApplicationType.SERVLET, Map.of(
                "server.port", "0",
                "spring.application.name", "orders",
                "etcdkit.endpoints", ETCD.clientEndpointsString(),
                "etcdkit.discovery.ttl", TTL.toSeconds() + "s",
                "etcdkit.discovery.host", "127.0.0.1",
                "etcdkit.discovery.metadata.zone", "a"));
        int port;
        try {
            port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            await().atMost(Duration.ofSeconds(5)).until(() -> other.getInstances("orders").size() == 1);
            ServiceInstance instance = other.getInstances("orders").get(0);
            assertThat(instance.getServiceId()).isEqualTo("orders");
            assertThat(instance.getHost()).isEqualTo("127.0.0.1");
            assertThat(instance.getPort()).isEqualTo(port);
            assertThat(instance.getInstanceId()).isEqualTo("orders-127.0.0.1-" + port);
            assertThat(instance.getMetadata()).containsEntry("zone", "a");
            assertThat(instance.getUri().toString()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(other.getServices()).contains("orders");
            assertThat(app.getBean(DiscoveryClient.class).getInstances("orders")).hasSize(1);
        } finally {
            app.close();
        }
        long closedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
                .until(() -> other.getInstances("orders").isEmpty());
        System.out.printf("REGISTRATION SHUTDOWN: gone from the other DiscoveryClient %d ms after close (TTL %d s)%n",
                (System.nanoTime() - closedAt) / 1_000_000, TTL.toSeconds());
    }

    @Test
    void aKilledApplicationVanishesWithinTheLeaseTtl() throws Exception {
        Process child = startChild("payments");
        try {
            List<String> output = new CopyOnWriteArrayList<>();
            String ready = readUntilReady(child, output).get(90, TimeUnit.SECONDS);
            assertThat(ready).as("child output: %s", output).startsWith("READY");
            await().atMost(Duration.ofSeconds(5)).until(() -> other.getInstances("payments").size() == 1);

            long killedAt = System.nanoTime();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no revoke
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(TTL.plus(MARGIN)).pollInterval(Duration.ofMillis(20))
                    .until(() -> other.getInstances("payments").isEmpty());
            System.out.printf("REGISTRATION KILL: gone from the other DiscoveryClient %d ms after SIGKILL (TTL %d s)%n",
                    (System.nanoTime() - killedAt) / 1_000_000, TTL.toSeconds());
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process startChild(String service) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DemoApplication.class.getName(),
                "--server.port=0", "--spring.main.banner-mode=off", "--spring.application.name=" + service,
                "--etcdkit.endpoints=" + ETCD.clientEndpointsString(),
                "--etcdkit.discovery.ttl=" + TTL.toSeconds() + "s", "--etcdkit.discovery.host=127.0.0.1");
        pb.redirectErrorStream(true);
        return pb.start();
    }

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
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }
}
