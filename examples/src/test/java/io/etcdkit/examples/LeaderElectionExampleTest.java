package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaderElectionExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void theObserverSeesEachLeadershipOnceTheProclamationAndNoLeader() throws Exception {
        List<String> lines = ExampleRun.linesOf(LeaderElectionExample::run, ETCD);
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).isEqualTo("observer: no leader");
        assertThat(lines.get(1)).matches("node-1 leads with epoch \\d+");
        assertThat(lines.subList(2, 5)).containsExactly(
                "observer: elected node-1",
                "node-2 is queued; still leading: node-1",
                "observer: proclaimed node-1 (v2)");
        assertThat(lines.get(5)).matches("node-2 leads with epoch \\d+ \\(greater: true\\)");
        assertThat(lines.subList(6, 8)).containsExactly(
                "observer: elected node-2",
                "observer: no leader");
        assertThat(ExampleRun.keysUnder(ETCD, LeaderElectionExample.ELECTION + "/")).isZero();
    }
}
