package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClientConfigurationExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void viewsShareTheClientAndANamespacedWriteLandsUnderItsPrefix() throws Exception {
        List<String> lines = ExampleRun.linesOf(ClientConfigurationExample::run, ETCD);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(
                "endpoints: 1, deadline 10 s, quick view 2 s, namespace 'examples/client/'");
        assertThat(lines.get(1)).matches("put: applied at revision \\d+");
        assertThat(lines.get(2)).isEqualTo("seen through the root client: hello");
        assertThat(ExampleRun.keysUnder(ETCD, "examples/client/")).isZero();
    }

    @Test
    void aWriteToAnUnreachableClusterIsReportedAsNotApplied() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EtcdClient dead = EtcdClient.builder().endpoints("http://127.0.0.1:" + port)
                .connectTimeout(java.time.Duration.ofMillis(500)).deadline(java.time.Duration.ofSeconds(1)).build()) {
            assertThat(ClientConfigurationExample.put(dead, "k", "v"))
                    .isEqualTo("not applied (no member reached in time): safe to retry later");
        }
    }
}
