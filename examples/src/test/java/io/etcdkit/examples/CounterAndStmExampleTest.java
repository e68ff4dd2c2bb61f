package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CounterAndStmExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void noIncrementIsLostAndConcurrentTransfersKeepTheTotal() throws Exception {
        List<String> lines = ExampleRun.linesOf(CounterAndStmExample::run, ETCD);
        assertThat(lines).containsExactly(
                "hits after 4 x 25 concurrent increments: 100",
                "compareAndSet(100, 0): true, now 0",
                "after two concurrent transfers: alice=95 bob=25 total=120");
        assertThat(ExampleRun.keysUnder(ETCD, "examples/")).isZero();
    }
}
