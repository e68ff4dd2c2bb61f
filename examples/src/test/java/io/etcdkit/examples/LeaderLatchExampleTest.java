package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaderLatchExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void closingTheLeadingLatchHandsLeadershipToTheOther() throws Exception {
        List<String> lines = ExampleRun.linesOf(LeaderLatchExample::run, ETCD);
        assertThat(lines).containsExactly(
                "worker-1: isLeader",
                "worker-1 leads: true, worker-2 leads: false",
                "worker-1: notLeader",
                "worker-2: isLeader",
                "worker-2's epoch is greater: true",
                "worker-2: notLeader");
        assertThat(ExampleRun.keysUnder(ETCD, LeaderLatchExample.ELECTION + "/")).as("both latches resigned").isZero();
    }
}
