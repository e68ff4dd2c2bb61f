package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseKeepAliveExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void keysOnALeaseVanishWhenItIsRevokedOrItsSessionCloses() throws Exception {
        List<String> lines = ExampleRun.linesOf(LeaseKeepAliveExample::run, ETCD);
        assertThat(lines).containsExactly(
                "lease state: ALIVE, TTL 5 s",
                "keys on the lease: [examples/lease/worker-1]",
                "lease state: REVOKED",
                "worker-1 exists after revoke: false",
                "session state: CONNECTED",
                "session state: CLOSED",
                "worker-2 exists after close: false");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.leases().list()).as("no lease left behind").isEmpty();
        }
    }
}
