package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterStatusExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void listsEveryMemberItsStatusOneLeaderNoAlarmAndASnapshot() throws Exception {
        List<String> lines = ExampleRun.linesOf(ClusterStatusExample::run, ETCD);
        assertThat(lines).hasSize(9);
        assertThat(lines.subList(0, 3)).allMatch(l -> l.matches("member [0-9a-f]+ 'm[012]' \\[http://127\\.0\\.0\\.1:\\d+]"));
        assertThat(lines.subList(3, 6)).allMatch(l -> l.matches(
                "status of http://127\\.0\\.0\\.1:\\d+: etcd 3\\.\\d+\\.\\d+, raft term \\d+, db \\d+ bytes(, leader)?"));
        assertThat(lines.subList(3, 6).stream().filter(l -> l.endsWith(", leader"))).hasSize(1);
        assertThat(lines.get(6)).isEqualTo("leader: " + ETCD.cluster().leader().name());
        assertThat(lines.get(7)).isEqualTo("alarms: []");
        assertThat(lines.get(8)).matches("snapshot: \\d+ bytes from http://127\\.0\\.0\\.1:\\d+, sha256 [0-9a-f]{12}\\.\\.\\.");
    }
}
