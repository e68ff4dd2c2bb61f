package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.cluster.MembershipException.Reason;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Membership administration against a real 3-member cluster with TLS and client certificates. */
class ClusterMembershipTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).tls(true)
            .clientCertAuth(true).build();

    static EtcdClient client;
    static Cluster cluster;

    @BeforeAll
    static void connect() {
        client = TestClients.builder(ETCD.cluster(), false).build();
        cluster = client.cluster();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void listsTheThreeMembers() {
        List<Member> members = cluster.members();
        assertThat(members).hasSize(3);
        assertThat(members).extracting(Member::name).containsExactlyInAnyOrder("m0", "m1", "m2");
        assertThat(members).flatExtracting(Member::clientUrls)
                .containsExactlyInAnyOrderElementsOf(ETCD.clientEndpoints());
        assertThat(members).extracting(Member::idHex).containsExactlyInAnyOrder(
                ETCD.cluster().member(0).memberId(), ETCD.cluster().member(1).memberId(),
                ETCD.cluster().member(2).memberId());
        assertThat(members).allSatisfy(m -> {
            assertThat(m.learner()).isFalse();
            assertThat(m.isStarted()).isTrue();
            assertThat(m.peerUrls()).hasSize(1);
        });
    }

    /**
     * Maintenance with a member down. In this class rather than in {@link MaintenanceTest} because that cluster
     * has auth on, and etcd 3.4 members reject simple tokens issued by the others after a restart.
     */
    @Test
    void aDownMemberIsNamedByStatusWhileLeaderStillAnswers() throws Exception {
        EtcdMember leader = ETCD.cluster().leader();
        EtcdMember down = ETCD.cluster().members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        try (EtcdClient quick = TestClients.builder(ETCD.cluster(), false).connectTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(2)).build()) {
            down.kill();
            try {
                assertThatThrownBy(() -> quick.maintenance().status())
                        .isInstanceOf(EtcdUnavailableException.class)
                        .hasMessageContaining("status of " + down.clientEndpoint())
                        .hasMessageNotContaining(leader.clientEndpoint());
                assertThatThrownBy(() -> quick.maintenance().status(down.clientEndpoint()))
                        .isInstanceOf(EtcdUnavailableException.class)
                        .hasMessageContaining("status of " + down.clientEndpoint())
                        .hasMessageNotContaining(leader.clientEndpoint());
                assertThat(quick.maintenance().status(leader.clientEndpoint()).isLeader()).isTrue();
                assertThat(quick.maintenance().leader().idHex()).isEqualTo(leader.memberId());
            } finally {
                down.start();
            }
            // the client reconnects to the restarted member (gRPC's reconnect back-off may delay it briefly)
            await("all three members answer again").atMost(Duration.ofSeconds(10)).until(() -> {
                try {
                    return quick.maintenance().status().size() == 3;
                } catch (EtcdUnavailableException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void addsAnUnstartedMemberUpdatesAndRemovesIt() throws Exception {
        String peer = "http://127.0.0.1:" + TestClients.freePort();
        MemberAdded added = whenHealthy(() -> cluster.addMember(List.of(peer)));
        try {
            assertThat(added.member().peerUrls()).containsExactly(peer);
            assertThat(added.member().isStarted()).isFalse();
            assertThat(added.member().clientUrls()).isEmpty();
            assertThat(added.member().learner()).isFalse();
            assertThat(added.members()).hasSize(4).contains(added.member());
            assertThat(added.initialCluster("m3")).contains("m3=" + peer).contains("m0=")
                    .contains(ETCD.cluster().member(0).peerEndpoint());
            assertThat(cluster.members()).extracting(Member::id).contains(added.member().id());

            String otherPeer = "http://127.0.0.1:" + TestClients.freePort();
            List<Member> updated = cluster.updateMember(added.member().id(), List.of(otherPeer));
            assertThat(updated).filteredOn(m -> m.id() == added.member().id()).singleElement()
                    .satisfies(m -> assertThat(m.peerUrls()).containsExactly(otherPeer));
        } finally {
            List<Member> after = whenHealthy(() -> cluster.removeMember(added.member().id()));
            assertThat(after).hasSize(3).extracting(Member::id).doesNotContain(added.member().id());
        }
        assertThat(cluster.members()).hasSize(3);
    }

    @Test
    void removingAnUnknownMemberIsATypedError() {
        long unknown = 0x1234_5678_9abcL;
        assertThatThrownBy(() -> cluster.removeMember(unknown))
                .isInstanceOfSatisfying(MembershipException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MEMBER_NOT_FOUND))
                .hasMessageContaining(Long.toHexString(unknown))
                .hasMessageContaining("no such member");
        assertThat(cluster.members()).hasSize(3);
    }

    @Test
    void refusedChangesAreTypedErrorsAndChangeNothing() throws Exception {
        String taken = ETCD.cluster().member(1).peerEndpoint();
        assertThatThrownBy(() -> whenHealthy(() -> cluster.addMember(List.of(taken))))
                .isInstanceOfSatisfying(MembershipException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PEER_URL_EXISTS));
        long voting = cluster.members().get(0).id();
        assertThatThrownBy(() -> cluster.promoteMember(voting))
                .isInstanceOfSatisfying(MembershipException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_LEARNER));
        assertThatThrownBy(() -> cluster.addMember(List.of("not a url")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not a url");
        assertThatThrownBy(() -> cluster.addMember(List.of())).isInstanceOf(InvalidArgumentException.class);
        assertThat(cluster.members()).hasSize(3);
    }

    @Test
    void aLearnerThatNeverStartedCannotBePromoted() throws Exception {
        MemberAdded learner = whenHealthy(() -> cluster.addLearner(List.of("http://127.0.0.1:" + TestClients.freePort())));
        try {
            assertThat(learner.member().learner()).isTrue();
            assertThatThrownBy(() -> cluster.promoteMember(learner.member().id()))
                    .isInstanceOfSatisfying(MembershipException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.LEARNER_NOT_READY));
        } finally {
            whenHealthy(() -> cluster.removeMember(learner.member().id()));
        }
        assertThat(cluster.members()).hasSize(3).noneMatch(Member::learner);
    }

    /** Starts a real etcd as a learner, waits until it may be promoted, promotes it, then removes it. */
    @Test
    void aStartedLearnerIsPromotedToAVotingMember() throws Exception {
        int peerPort = TestClients.freePort();
        int clientPort = TestClients.freePort();
        String peer = "http://127.0.0.1:" + peerPort;
        MemberAdded added = whenHealthy(() -> cluster.addLearner(List.of(peer)));
        long id = added.member().id();
        Path dir = Files.createTempDirectory("etcdkit-learner");
        Process etcd = null;
        try {
            List<String> cmd = new ArrayList<>(List.of(etcdBinary(), "--name=learner",
                    "--data-dir=" + dir.resolve("data"),
                    "--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
                    "--listen-client-urls=http://127.0.0.1:" + clientPort,
                    "--advertise-client-urls=http://127.0.0.1:" + clientPort,
                    "--initial-cluster=" + added.initialCluster("learner"), "--initial-cluster-state=existing",
                    "--logger=zap", "--log-outputs=stderr"));
            etcd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile())
                    .start();
            List<Member> promoted = null;
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (promoted == null) {
                try {
                    promoted = cluster.promoteMember(id);
                } catch (MembershipException e) {
                    assertThat(e.reason()).isEqualTo(Reason.LEARNER_NOT_READY);
                    assertThat(etcd.isAlive()).as("learner etcd process is running; log: %s",
                            dir.resolve("etcd.log")).isTrue();
                    if (System.nanoTime() - end > 0) {
                        throw new AssertionError("learner not ready to promote within 20 s; log:\n"
                                + Files.readString(dir.resolve("etcd.log")), e);
                    }
                    Thread.sleep(100);
                }
            }
            assertThat(promoted).filteredOn(m -> m.id() == id).singleElement().satisfies(m -> {
                assertThat(m.learner()).isFalse();
                assertThat(m.name()).isEqualTo("learner");
                assertThat(m.clientUrls()).containsExactly("http://127.0.0.1:" + clientPort);
            });
        } finally {
            whenHealthy(() -> cluster.removeMember(id));
            if (etcd != null) {
                etcd.destroyForcibly();
                etcd.waitFor(5, TimeUnit.SECONDS);
            }
            deleteRecursively(dir);
        }
        assertThat(cluster.members()).hasSize(3).extracting(Member::id).doesNotContain(id);
    }

    /**
     * Runs a membership change, retrying (for at most 10 s) while etcd reports the cluster not yet healthy enough
     * for it: etcd wants every voting member connected for 5 s, which a just-started cluster is not.
     */
    private static <T> T whenHealthy(java.util.function.Supplier<T> change) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return change.get();
            } catch (MembershipException e) {
                if (e.reason() != Reason.UNHEALTHY_CLUSTER || System.nanoTime() - end > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String etcdBinary() {
        String p = System.getProperty("etcd.bin");
        if (p == null || p.isBlank()) {
            p = System.getenv("ETCD_BIN");
        }
        return p == null || p.isBlank() ? "etcd" : p;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
