package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code etcdkit status} against three real members, one of which is then killed. */
@Timeout(180)
class StatusCommandTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void listsEveryMemberFromOneEndpointThenReportsAMemberThatIsDown() {
        String first = ETCD.cluster().member(0).clientEndpoint();
        Cli.Result table = Cli.run("status", "--endpoints", first);
        assertThat(table.code()).as("%s", table).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +NAME +ENDPOINT +LEADER +DB SIZE +RAFT INDEX +VERSION");
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("[0-9a-f]+ +m[0-2] +http://127\\.0\\.0\\.1:\\d+ "
                + "+(yes|no) +[0-9.]+ k?B +\\d+ +3\\.\\d+\\.\\d+"));
        assertThat(lines.stream().filter(l -> l.contains(" yes ")).count()).isEqualTo(1);

        JsonNode json = Cli.run("status", "--endpoints", first, "-o", "json").json();
        assertThat(json).hasSize(3);
        List<String> endpoints = new ArrayList<>();
        int leaders = 0;
        for (JsonNode m : json) {
            endpoints.add(m.get("endpoint").asText());
            leaders += m.get("leader").asBoolean() ? 1 : 0;
            assertThat(m.get("dbSize").asLong()).isPositive();
            assertThat(m.get("raftIndex").asLong()).isPositive();
            assertThat(m.has("error")).isFalse();
        }
        assertThat(leaders).isEqualTo(1);
        assertThat(endpoints).containsExactlyInAnyOrderElementsOf(ETCD.clientEndpoints());

        EtcdMember victim = ETCD.cluster().member(2);
        victim.kill();
        Cli.Result down = Cli.run("status", "--endpoints", first, "--timeout", "3s");
        assertThat(down.code()).as("%s", down).isEqualTo(5);
        assertThat(down.out().lines().toList()).hasSize(4).first().asString().endsWith("ERROR");
        assertThat(down.out()).containsPattern(victim.name() + " +" + victim.clientEndpoint() + " +\\? ");
        assertThat(down.errLine()).isEqualTo("etcdkit status: 1 of 3 members did not answer");
    }
}
