package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code etcdkit elect} in-process against a real member: campaign, resign on Ctrl-C, --wait, loss, --observe. */
@Timeout(180)
class ElectCommandTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    private List<KeyValue> candidates(String name) {
        return ETCD.client().kv().range(Range.prefix(name + "/")).kvs();
    }

    @Test
    void campaignsLeadsUntilInterruptedThenResigns() {
        try (Cli.Background leader = ETCD.start("elect", "jobs/scheduler", "--value", "node-a")) {
            leader.awaitOut("elected leader of 'jobs/scheduler' as 'node-a'");
            assertThat(LeaderElection.currentLeader(ETCD.client(), "jobs/scheduler").map(l -> l.valueAsString()))
                    .contains("node-a");
            assertThat(leader.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(leader.out()).matches("(?s)elected leader of 'jobs/scheduler' as 'node-a' \\(epoch \\d+\\); "
                    + "Ctrl-C resigns\n");
            assertThat(candidates("jobs/scheduler")).as("resigned").isEmpty();
        }
    }

    @Test
    void secondCandidateWaitsAndGivesUpWithExitSix() throws Exception {
        try (Session session = Session.open(ETCD.client(), Duration.ofSeconds(10));
                Leadership lead = LeaderElection.of(session, "jobs/busy").campaign("incumbent")) {
            Cli.Result r = ETCD.run("elect", "jobs/busy", "--value", "challenger", "--wait", "1s");
            assertThat(r.code()).as("%s", r).isEqualTo(6);
            assertThat(r.err()).contains("etcdkit elect: not elected leader of 'jobs/busy' within 1s");
            assertThat(candidates("jobs/busy")).extracting(KeyValue::valueAsString).containsExactly("incumbent");
            assertThat(lead.epoch()).isPositive();
        }
    }

    @Test
    void secondCandidateTakesOverWhenTheFirstResigns() throws Exception {
        Session session = Session.open(ETCD.client(), Duration.ofSeconds(10));
        Leadership lead = LeaderElection.of(session, "jobs/handover").campaign("first");
        try (Cli.Background second = ETCD.start("elect", "jobs/handover", "--value", "second", "-o", "json")) {
            await().atMost(Cli.WAIT).until(() -> candidates("jobs/handover").size() == 2);
            assertThat(second.out()).isEmpty();
            lead.resign();
            second.awaitOut("\"elected\"");
            JsonNode elected = Cli.jsonLinesOf(second.out()).get(0);
            assertThat(elected.get("value").asText()).isEqualTo("second");
            assertThat(elected.get("epoch").asLong()).isGreaterThan(lead.epoch());
            assertThat(elected.get("key").asText()).startsWith("jobs/handover/");
            second.stop();
        } finally {
            session.close();
        }
    }

    @Test
    void losingTheSessionWhileLeadingExitsEight() {
        try (Cli.Background leader = ETCD.start("elect", "jobs/lost", "--value", "doomed")) {
            leader.awaitOut("elected leader");
            ETCD.client().leases().revoke(candidates("jobs/lost").get(0).lease());
            assertThat(leader.awaitExit()).isEqualTo(ExitCode.LOST);
            assertThat(leader.err()).contains("etcdkit elect: lost leadership of 'jobs/lost': the session expired");
        }
    }

    @Test
    void observePrintsEveryChangeOfLeader() throws Exception {
        try (Cli.Background observer = ETCD.start("elect", "jobs/observed", "--observe")) {
            observer.awaitOut("no leader");
            long epoch;
            try (Session a = Session.open(ETCD.client(), Duration.ofSeconds(10))) {
                Leadership lead = LeaderElection.of(a, "jobs/observed").campaign("node-a");
                epoch = lead.epoch();
                observer.awaitOut("leader: node-a");
                lead.proclaim("node-a v2");
                observer.awaitOut("leader proclaimed: node-a v2");
                lead.resign();
                observer.awaitOut("stdout should end with 'no leader' again", out -> out.endsWith("v2 (epoch "
                        + epoch + ")\nno leader\n"));
            }
            assertThat(observer.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(observer.out().lines().toList()).containsExactly("no leader",
                    "leader: node-a (epoch " + epoch + ")", "leader proclaimed: node-a v2 (epoch " + epoch + ")",
                    "no leader");
        }
    }

    @Test
    void observeTakesNoCampaignOptions() {
        Cli.Result r = ETCD.run("elect", "jobs/x", "--observe", "--value", "v");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).contains("--observe only watches");
    }
}
