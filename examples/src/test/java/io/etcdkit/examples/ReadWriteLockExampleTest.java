package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadWriteLockExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void readersShareAndTheWriterWaitsForThem() throws Exception {
        List<String> lines = ExampleRun.linesOf(ReadWriteLockExample::run, ETCD);
        assertThat(lines).containsExactly(
                "two readers hold the read lock",
                "writer while they read: busy",
                "writer holds the write lock; guarded write applied: true",
                "catalog version: 8");
        assertThat(ExampleRun.keysUnder(ETCD, ReadWriteLockExample.NAME + "/")).isZero();
    }
}
