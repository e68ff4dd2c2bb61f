package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuickStartExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void theReadmeCodeWritesReadsWinsOnceAndFencesItsWrite() throws Exception {
        String[] args = {ETCD.clientEndpointsString()};
        ExampleRun first = new ExampleRun();
        QuickStartExample.run(args, first.out());
        assertThat(first.lines()).hasSize(5);
        assertThat(first.lines().get(0)).isEqualTo("mode: fast");
        assertThat(first.lines().get(1)).isEqualTo("won leader: true");
        assertThat(first.lines().get(2)).matches("fencing token: \\d+");
        assertThat(first.lines().get(3)).isEqualTo("reindex/state: running");
        assertThat(first.lines().get(4)).matches("services/ snapshot: 0 keys at revision \\d+");

        ExampleRun second = new ExampleRun();
        QuickStartExample.run(args, second.out());
        assertThat(second.lines().get(1)).isEqualTo("won leader: false");
        long token1 = Long.parseLong(first.lines().get(2).replaceAll("\\D", ""));
        long token2 = Long.parseLong(second.lines().get(2).replaceAll("\\D", ""));
        assertThat(token2).isGreaterThan(token1);

        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().get("leader")).map(KeyValue::valueAsString).contains("me");
            assertThat(client.kv().get("config/mode")).map(KeyValue::valueAsString).contains("fast");
            assertThat(client.kv().count(Range.prefix("locks/reindex/"))).as("the lock was released").isZero();
        }
    }
}
