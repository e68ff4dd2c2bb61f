package io.etcdkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs the example against a real etcd member and checks what its README promises, over HTTP. */
class SpringBootExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void servesLiveConfigurationHealthAndPrometheusAndRegistersItself() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            client.kv().put(ThrowawayEtcd.KEY, "hello from etcd");
            try (ConfigurableApplicationContext app = SpringApplication.run(SpringBootExample.class,
                    "--server.port=0", "--etcdkit.endpoints=" + ETCD.clientEndpointsString(),
                    "--etcdkit.discovery.host=127.0.0.1", "--spring.main.banner-mode=off")) {
                String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
                assertThat(get(base + "/greeting").body()).contains("hello from etcd");

                client.kv().put(ThrowawayEtcd.KEY, "changed live");
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> get(base + "/greeting").body().contains("changed live"));

                HttpResponse<String> health = get(base + "/actuator/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"etcd\"").contains("\"leader\"").endsWith("\"status\":\"UP\"}");

                HttpResponse<String> prometheus = get(base + "/actuator/prometheus");
                assertThat(prometheus.statusCode()).isEqualTo(200);
                assertThat(prometheus.body()).contains("jvm_memory_used_bytes");
                // etcdkit's meters, bound automatically: the puts above and the config watch
                assertThat(prometheus.body())
                        .containsPattern("etcdkit_calls_seconds_count\\{[^}]*method=\"Range\"[^}]*outcome=\"ok\"[^}]*\\} [1-9]")
                        .contains("etcdkit_watch_watchers")
                        .doesNotContain("etcdkit_call_seconds_count") // timed once, not again by the observation handler
                        .doesNotContain("outcome=\"unavailable\"");

                assertThat(get(base + "/instances/etcdkit-example").body()).contains(base);
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
