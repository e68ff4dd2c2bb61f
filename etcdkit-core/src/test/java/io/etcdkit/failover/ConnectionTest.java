package io.etcdkit.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unreachable endpoints fail fast and clearly; a dead endpoint among live ones is routed around. */
class ConnectionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static String deadEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Tag("timing") // a wall-clock bound: reported, never fails the build (docs/testing.md)
    @Test
    void connectionRefusedFailsWithinTheConnectTimeout() throws IOException {
        String dead = deadEndpoint();
        try (EtcdClient client = EtcdClient.builder().endpoints(dead).connectTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(30)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.kv().get("k")).isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining(dead).hasMessageContaining("could not connect");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(3));
            // A write that never left the client is not "outcome unknown": it surely was not applied.
            assertThatThrownBy(() -> client.kv().put("k", "v")).isExactlyInstanceOf(EtcdUnavailableException.class);
        }
    }

    @Test
    void aDeadEndpointAmongLiveOnesIsRoutedAround() throws IOException {
        List<String> endpoints = List.of(deadEndpoint(), ETCD.clientEndpoints().get(0));
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
            for (int i = 0; i < 50; i++) {
                client.kv().put("route/k" + i, "v" + i);
                assertThat(client.kv().get("route/k" + i)).map(KeyValue::valueAsString).contains("v" + i);
            }
        }
    }

    @Test
    void endpointsComeFromTheBuilderList() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpointsString()).build()) {
            assertThat(client.endpoints()).containsExactlyElementsOf(ETCD.clientEndpoints());
        }
    }
}
