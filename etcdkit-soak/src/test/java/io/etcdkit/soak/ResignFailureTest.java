package io.etcdkit.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.nemesis.Partitions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 30-minute soak's election stall, reduced: a leader's {@code resign()} fails because its only member is cut
 * off. After the heal, whether or not the delete reached etcd, the session's election instance takes no new
 * campaign (it times out) until {@code resign()} is called again and succeeds — which is why the soak's
 * campaigners retry it. Asserts today's behaviour; {@code Leadership.resign()}'s Javadoc does not state it.
 */
class ResignFailureTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void aFailedResignKeepsTheLeadershipUntilResignIsCalledAgain() throws Exception {
        assumeTrue(Partitions.probe().available(), "partitions unavailable: " + Partitions.probe().reason());
        EtcdMember m0 = ETCD.cluster().member(0);
        try (EtcdClient viaM0 = EtcdClient.builder().endpoints(m0.clientEndpoint())
                .attemptTimeout(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(2)).build();
                EtcdClient other = EtcdClient.builder().endpoints(ETCD.cluster().member(1).clientEndpoint()).build();
                Session session = Session.open(viaM0, Duration.ofSeconds(30));
                Session rival = Session.open(other, Duration.ofSeconds(30))) {
            Leadership lead = LeaderElection.of(session, "resign-probe").campaign("a");
            try (Partitions partitions = Partitions.of(ETCD.cluster())) {
                partitions.cutClients(m0);
                assertThatThrownBy(lead::resign).isInstanceOf(EtcdException.class);
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> viaM0.kv().count(
                    io.etcdkit.kv.Range.prefix("resign-probe")) >= 0);
            // Whether or not the failed delete reached etcd, this session's election instance takes no new campaign.
            Optional<Leadership> again = LeaderElection.of(session, "resign-probe").campaign("a2",
                    Duration.ofSeconds(3));
            System.out.println("RESIGN-PROBE: campaign on the same session after a failed resign: " + again);
            assertThat(again).as("a campaign on the same session after a failed resign").isEmpty();
            lead.resign(); // called again, it succeeds and frees the election
            assertThat(LeaderElection.of(rival, "resign-probe").campaign("b", Duration.ofSeconds(10))).isPresent();
        }
    }
}
