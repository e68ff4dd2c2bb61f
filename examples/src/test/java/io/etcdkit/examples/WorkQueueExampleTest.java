package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WorkQueueExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void sendsDeadLettersAndFencesTheLateAck() throws Exception {
        List<String> lines = ExampleRun.linesOf(WorkQueueExample::run, ETCD);
        assertThat(lines).containsExactly(
                "second welcome for ada is a duplicate: true",
                "sent to: ada@example.com, acked: true",
                "dead letter after 2 attempts: to: nobody@invalid (550 no such domain)",
                "redelivered after the claim expired, attempt 2",
                "late ack by the dead consumer accepted: false",
                "ack by the new holder accepted: true",
                "items left: 0");
        assertThat(ExampleRun.keysUnder(ETCD, "etcdkit/workqueue/" + WorkQueueExample.QUEUE + "/items/")).isZero();
    }
}
