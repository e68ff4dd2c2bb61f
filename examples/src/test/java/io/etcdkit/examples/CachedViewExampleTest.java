package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CachedViewExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void readsASnapshotWritesThroughOnceAndRefusesAStaleRevision() throws Exception {
        List<String> lines = ExampleRun.linesOf(CachedViewExample::run, ETCD);
        assertThat(lines).containsExactly(
                "flags: {examples/flags/checkout=on, examples/flags/search=off}",
                "first compare-and-set applied: true",
                "search is now: on",
                "second compare-and-set with the stale revision applied: false",
                "revision of the view >= our write: true");
        assertThat(ExampleRun.keysUnder(ETCD, CachedViewExample.PREFIX)).isZero();
    }
}
