package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CachedViewExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void readsASnapshotWritesThroughOnceAndRefusesAStaleRevision() throws Exception {
        ExampleRun run = new ExampleRun();
        CachedViewExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "flags: {examples/flags/checkout=on, examples/flags/search=off}",
                "first compare-and-set applied: true",
                "search is now: on",
                "second compare-and-set with the stale revision applied: false",
                "revision of the view >= our write: true");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(CachedViewExample.PREFIX))).isZero();
        }
    }
}
