package io.etcdkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.spring.app.GreetingProperties;
import io.etcdkit.spring.config.EtcdConfigUnavailableException;
import io.etcdkit.testing.EtcdCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** Start-up with etcd down: etcd: fails fast with a clear message, optional:etcd: starts and catches up later. */
class ConfigStartupTest {

    @Test
    void withEtcdDownStartupFailsFastNamingTheEndpointsAndOptional() throws IOException {
        String endpoint = "http://127.0.0.1:" + freePort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> Apps.start(WebApplicationType.NONE, Map.of(
                "spring.config.import", "etcd:",
                "spring.application.name", "demo",
                "etcdkit.endpoints", endpoint,
                "etcdkit.config.fail-fast-timeout", "1s")).close())
                .isInstanceOf(EtcdConfigUnavailableException.class)
                .hasMessageContaining(endpoint)
                .hasMessageContaining("optional:etcd:")
                .hasMessageContaining("could not read configuration 'config/");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("FAIL FAST: start-up failed after %d ms with fail-fast-timeout 1 s%n", millis);
        assertThat(millis).as("fails fast, not after the client's 10 s deadline").isLessThan(8_000);
    }

    @Test
    void withOptionalTheApplicationStartsWithoutEtcdAndPicksValuesUpOnceEtcdIsBack() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.builder().build()) {
            cluster.start();
            Etcdctl etcdctl = new Etcdctl(cluster.clientEndpointsString());
            etcdctl.put("config/demo/greeting/message", "written-before-the-outage");
            cluster.member(0).stop();

            long start = System.nanoTime();
            try (ConfigurableApplicationContext app = Apps.start(WebApplicationType.NONE, Map.of(
                    "spring.config.import", "optional:etcd:",
                    "spring.application.name", "demo",
                    "etcdkit.endpoints", cluster.clientEndpointsString(),
                    "etcdkit.config.fail-fast-timeout", "1s",
                    "etcdkit.discovery.register", "false"))) {
                System.out.printf("OPTIONAL START: started without etcd in %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
                GreetingProperties greeting = app.getBean(GreetingProperties.class);
                assertThat(greeting.getMessage()).isEqualTo("none");

                cluster.member(0).start();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> "written-before-the-outage".equals(greeting.getMessage()));
                etcdctl.put("config/demo/greeting/message", "written-after");
                await().atMost(Duration.ofSeconds(1)).until(() -> "written-after".equals(greeting.getMessage()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
