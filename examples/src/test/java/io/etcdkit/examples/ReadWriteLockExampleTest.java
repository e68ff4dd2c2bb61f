package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadWriteLockExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void readersShareAndTheWriterWaitsForThem() throws Exception {
        ExampleRun run = new ExampleRun();
        ReadWriteLockExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "two readers hold the read lock",
                "writer while they read: busy",
                "writer holds the write lock; guarded write applied: true",
                "catalog version: 8");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(ReadWriteLockExample.NAME + "/"))).isZero();
        }
    }
}
