package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CounterAndStmExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void noIncrementIsLostAndConcurrentTransfersKeepTheTotal() throws Exception {
        ExampleRun run = new ExampleRun();
        CounterAndStmExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "hits after 4 x 25 concurrent increments: 100",
                "compareAndSet(100, 0): true, now 0",
                "after two concurrent transfers: alice=95 bob=25 total=120");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix("examples/"))).isZero();
        }
    }
}
