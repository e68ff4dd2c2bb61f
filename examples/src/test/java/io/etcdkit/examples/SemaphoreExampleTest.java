package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SemaphoreExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void atMostTwoHoldersAndTheThirdGetsInAfterARelease() throws Exception {
        ExampleRun run = new ExampleRun();
        SemaphoreExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "two permits held, tokens grow: true",
                "available now: 0",
                "third tryAcquire: no permit free",
                "third acquired after a release, token greater than the others",
                "available at the end: 2");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(SemaphoreExample.NAME + "/"))).isZero();
        }
    }
}
