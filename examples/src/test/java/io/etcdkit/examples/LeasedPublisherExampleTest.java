package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeasedPublisherExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void leasedKeysVanishOnCloseAndPlainKeysPersistInOrderPerKey() throws Exception {
        List<String> lines = ExampleRun.linesOf(LeasedPublisherExample::run, ETCD);
        assertThat(lines).containsExactly(
                "leased: 3 keys while open, 4 puts, state COMPLETED",
                "leased: 0 keys after close",
                "without a lease: 3 keys after close, worker-1 = 0.42");
        assertThat(ExampleRun.keysUnder(ETCD, "examples/")).isZero();
    }
}
