package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServiceDiscoveryExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void registersDiscoversBalancesSkipsMarkedDownAndForgetsClosedAndCrashedInstances() throws Exception {
        List<String> lines = ExampleRun.linesOf(ServiceDiscoveryExample::run, ETCD);
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(0, 2)).containsExactlyInAnyOrder(
                "watch: added orders-1 at 10.0.0.1:8080",
                "watch: added orders-2 at 10.0.0.2:8080");
        assertThat(lines.subList(2, 10)).containsExactly(
                "lookup: [orders-1, orders-2]",
                "round robin: [orders-1, orders-2, orders-1, orders-2]",
                "orders-1 marked down: [orders-2, orders-2]",
                "watch: removed orders-2",
                "nothing available: true",
                "orders-1 marked up: [orders-1]",
                "watch: removed orders-1",
                "watch: added orders-3 at 10.0.0.3:8080");
        assertThat(lines.get(10)).matches("watch: removed orders-3 after the TTL of 3 s \\(took \\d+ ms\\)");
        assertThat(ExampleRun.keysUnder(ETCD, ServiceDiscoveryExample.ROOT)).isZero();
    }
}
