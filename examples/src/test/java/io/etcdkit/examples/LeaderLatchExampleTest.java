package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaderLatchExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void closingTheLeadingLatchHandsLeadershipToTheOther() throws Exception {
        ExampleRun run = new ExampleRun();
        LeaderLatchExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "worker-1: isLeader",
                "worker-1 leads: true, worker-2 leads: false",
                "worker-1: notLeader",
                "worker-2: isLeader",
                "worker-2's epoch is greater: true",
                "worker-2: notLeader");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(LeaderLatchExample.ELECTION + "/")))
                    .as("both latches resigned").isZero();
        }
    }
}
