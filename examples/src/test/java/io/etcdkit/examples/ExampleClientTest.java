package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExampleClientTest {
    @Test
    void theFirstArgumentWinsAndABlankOneFallsBackToTheEnvironmentOrTheDefault() {
        assertThat(ExampleClient.endpoints(new String[] {"http://10.0.0.1:2379,http://10.0.0.2:2379"}))
                .isEqualTo("http://10.0.0.1:2379,http://10.0.0.2:2379");
        String env = System.getenv("ETCD_ENDPOINTS");
        String fallback = env == null || env.isBlank() ? "http://127.0.0.1:2379" : env;
        assertThat(ExampleClient.endpoints(new String[0])).isEqualTo(fallback);
        assertThat(ExampleClient.endpoints(new String[] {" "})).isEqualTo(fallback);
    }
}
