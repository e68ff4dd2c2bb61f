package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SemaphoreExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void atMostTwoHoldersAndTheThirdGetsInAfterARelease() throws Exception {
        List<String> lines = ExampleRun.linesOf(SemaphoreExample::run, ETCD);
        assertThat(lines).containsExactly(
                "two permits held, tokens grow: true",
                "available now: 0",
                "third tryAcquire: no permit free",
                "third acquired after a release, token greater than the others",
                "available at the end: 2");
        assertThat(ExampleRun.keysUnder(ETCD, SemaphoreExample.NAME + "/")).isZero();
    }
}
