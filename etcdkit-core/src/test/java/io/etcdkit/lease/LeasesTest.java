package io.etcdkit.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.internal.lease.DefaultLeases;
import io.etcdkit.kv.Put;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leases against one real etcd member: the unary calls, and keep-alive on the shared stream. The member's
 * minimum TTL is 2 s (default election timeout 1 s), so the short leases here are 2 s.
 */
class LeasesTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(1).build();

    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    private static EtcdClient client;
    /** Another client, playing "someone else". */
    private static EtcdClient other;

    @BeforeAll
    static void open() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        other = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private static Leases leases() {
        return client.leases();
    }

    @Test
    void grantTimeToLiveListKeepAliveOnceAndRevoke() {
        Lease lease = leases().grant(Duration.ofSeconds(30));
        assertThat(lease.id()).isPositive();
        assertThat(lease.ttl()).isEqualTo(Duration.ofSeconds(30));
        client.kv().put(Put.of("leases-test/basic/a", "1").lease(lease.id()));
        client.kv().put(Put.of("leases-test/basic/b", "2").lease(lease.id()));

        LeaseInfo info = leases().timeToLiveWithKeys(lease.id());
        assertThat(info.id()).isEqualTo(lease.id());
        assertThat(info.granted()).isEqualTo(Duration.ofSeconds(30));
        assertThat(info.remaining()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        assertThat(info.keys()).containsExactlyInAnyOrder(Bytes.of("leases-test/basic/a"),
                Bytes.of("leases-test/basic/b"));
        assertThat(leases().timeToLive(lease.id()).keys()).isEmpty();

        assertThat(leases().list()).contains(lease.id()).isSorted();
        assertThat(leases().keepAliveOnce(lease.id())).isEqualTo(Duration.ofSeconds(30));

        leases().revoke(lease.id());
        assertThat(client.kv().get("leases-test/basic/a")).isEmpty();
        assertThat(client.kv().get("leases-test/basic/b")).isEmpty();
        assertThat(leases().list()).doesNotContain(lease.id());
        assertThatThrownBy(() -> leases().timeToLive(lease.id())).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void grantWithARequestedIdRoundsTheTtlUpToWholeSeconds() {
        long id = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        Lease lease = leases().grant(Duration.ofMillis(2500), id);
        try {
            assertThat(lease).isEqualTo(new Lease(id, Duration.ofSeconds(3)));
            assertThatThrownBy(() -> leases().grant(Duration.ofSeconds(5), id))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("lease already exists");
        } finally {
            leases().revoke(id);
        }
        assertThatThrownBy(() -> leases().grant(Duration.ZERO)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> leases().grant(Duration.ofSeconds(-1))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> leases().grant(Duration.ofSeconds(5), 0))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void timeToLiveKeysAreRelativeToTheClientsNamespace() {
        try (EtcdClient namespaced = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .namespace("leases-test/ns/").build()) {
            Lease lease = namespaced.leases().grant(Duration.ofSeconds(10));
            try {
                namespaced.kv().put(Put.of("inside", "v").lease(lease.id()));
                client.kv().put(Put.of("leases-test/outside", "v").lease(lease.id()));
                assertThat(namespaced.leases().timeToLiveWithKeys(lease.id()).keys())
                        .containsExactly(Bytes.of("inside"));
                assertThat(leases().timeToLiveWithKeys(lease.id()).keys()).containsExactlyInAnyOrder(
                        Bytes.of("leases-test/ns/inside"), Bytes.of("leases-test/outside"));
            } finally {
                namespaced.leases().revoke(lease.id());
            }
        }
    }

    @Test
    void anUnknownLeaseIsLeaseNotFound() {
        long unknown = ThreadLocalRandom.current().nextLong(1L << 50, 1L << 60);
        assertThatThrownBy(() -> leases().revoke(unknown)).isInstanceOf(LeaseNotFoundException.class);
        assertThatThrownBy(() -> leases().timeToLiveWithKeys(unknown)).isInstanceOf(LeaseNotFoundException.class);
        assertThatThrownBy(() -> leases().keepAliveOnce(unknown)).isInstanceOf(LeaseNotFoundException.class);
        assertThatThrownBy(() -> leases().keepAlive(unknown)).isInstanceOf(LeaseNotFoundException.class);
        assertThat(leases().list()).doesNotContain(unknown);
    }

    @Test
    void keepAliveKeepsATwoSecondLeaseAndItsKeyAliveWellPastItsTtl() {
        Lease lease = leases().grant(TWO_SECONDS);
        assertThat(lease.ttl()).isEqualTo(TWO_SECONDS);
        String key = "leases-test/kept/key";
        client.kv().put(Put.of(key, "v").lease(lease.id()));
        Recorder recorder = new Recorder();
        try (KeepAlive ka = leases().keepAlive(lease.id(), recorder)) {
            assertThat(ka.id()).isEqualTo(lease.id());
            assertThat(ka.state()).isEqualTo(LeaseState.ALIVE);
            assertThat(ka.ttl()).isEqualTo(TWO_SECONDS);
            assertThat(ka.remaining()).isPositive().isLessThanOrEqualTo(TWO_SECONDS);

            // Never lost. (A loaded machine may delay an answer enough for a brief AT_RISK; that is allowed.)
            String violation = Recorder.holdsFor(Duration.ofSeconds(6), () -> {
                if (ka.state().isTerminal()) {
                    return "state " + ka.state() + " " + recorder.seen();
                }
                if (client.kv().get(key).isEmpty()) {
                    return "the key vanished";
                }
                return null;
            });
            assertThat(violation).isNull();
            assertThat(leases().timeToLive(lease.id()).remaining()).isPositive();
            assertThat(ka.awaitState(LeaseState.ALIVE, Duration.ofSeconds(3))).isTrue();
            assertThat(recorder.states()).startsWith(LeaseState.ALIVE).doesNotContain(LeaseState.EXPIRED);
            assertThat(recorder.seen().get(0).thread()).startsWith("etcdkit-callback");
        } finally {
            leases().revoke(lease.id());
        }
    }

    @Test
    void closingTheKeepAliveLetsTheLeaseExpireAndItsKeyVanish() {
        Lease lease = leases().grant(TWO_SECONDS);
        String key = "leases-test/closed/key";
        client.kv().put(Put.of(key, "v").lease(lease.id()));
        Recorder recorder = new Recorder();
        KeepAlive ka = leases().keepAlive(lease.id(), recorder);
        ka.close();
        assertThat(ka.state()).isEqualTo(LeaseState.CLOSED);
        assertThat(ka.terminated()).succeedsWithin(Duration.ofSeconds(1)).isEqualTo(LeaseState.CLOSED);
        await("the key of a lease no longer kept alive vanishes").atMost(Duration.ofSeconds(6)).until(() -> client.kv().get(key).isEmpty());
        assertThatThrownBy(() -> leases().timeToLive(lease.id())).isInstanceOf(LeaseNotFoundException.class);
        assertThat(recorder.states()).containsExactly(LeaseState.ALIVE, LeaseState.CLOSED);
        ka.close(); // idempotent
        assertThat(ka.state()).isEqualTo(LeaseState.CLOSED);
    }

    @Test
    void aLeaseRevokedBySomeoneElseIsReportedExpiredNotSilently() {
        Lease lease = leases().grant(TWO_SECONDS);
        Recorder recorder = new Recorder();
        KeepAlive ka = leases().keepAlive(lease.id(), recorder);
        other.leases().revoke(lease.id());
        assertThat(ka.awaitState(LeaseState.EXPIRED, Duration.ofSeconds(3))).as("handle %s", ka).isTrue();
        assertThat(ka.terminated()).succeedsWithin(Duration.ofSeconds(1)).isEqualTo(LeaseState.EXPIRED);
        assertThat(recorder.states()).containsExactly(LeaseState.ALIVE, LeaseState.EXPIRED);
        assertThat(recorder.seen().get(1).change().reason()).contains("does not exist");
        assertThat(ka.remaining()).isZero();
        // Revoking a lease already gone through its handle counts as done.
        ka.revoke();
        assertThat(ka.state()).isEqualTo(LeaseState.EXPIRED);
    }

    @Test
    void revokingThroughTheHandleOrTheClientDeletesTheKeysAndReportsRevoked() {
        Lease first = leases().grant(Duration.ofSeconds(10));
        client.kv().put(Put.of("leases-test/revoked/1", "v").lease(first.id()));
        Recorder recorder = new Recorder();
        KeepAlive ka = leases().keepAlive(first.id(), recorder);
        ka.revoke();
        assertThat(ka.state()).isEqualTo(LeaseState.REVOKED);
        assertThat(client.kv().get("leases-test/revoked/1")).isEmpty();
        await().atMost(Duration.ofSeconds(2)).until(() -> recorder.states().size() == 2);
        assertThat(recorder.states()).containsExactly(LeaseState.ALIVE, LeaseState.REVOKED);

        Lease second = leases().grant(Duration.ofSeconds(10));
        client.kv().put(Put.of("leases-test/revoked/2", "v").lease(second.id()));
        KeepAlive ka2 = leases().keepAlive(second.id());
        leases().revoke(second.id());
        assertThat(ka2.state()).isEqualTo(LeaseState.REVOKED);
        assertThat(client.kv().get("leases-test/revoked/2")).isEmpty();
    }

    @Test
    void aListenerAddedLaterIsFirstToldTheCurrentState() {
        Lease lease = leases().grant(Duration.ofSeconds(10));
        try (KeepAlive ka = leases().keepAlive(lease.id())) {
            Recorder recorder = new Recorder();
            ka.addListener(recorder);
            await().atMost(Duration.ofSeconds(2)).until(() -> !recorder.seen().isEmpty());
            LeaseStateChange first = recorder.seen().get(0).change();
            assertThat(first.previous()).isEqualTo(LeaseState.ALIVE);
            assertThat(first.current()).isEqualTo(LeaseState.ALIVE);
            ka.close();
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.states().size() == 2);
            assertThat(recorder.states()).containsExactly(LeaseState.ALIVE, LeaseState.CLOSED);
        } finally {
            leases().revoke(lease.id());
        }
    }

    @Test
    void twoHundredLeasesAreKeptAliveOverOneStreamAndClosingTheClientRevokesNone() throws Exception {
        int n = 200;
        List<KeepAlive> handles = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        try (EtcdClient own = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            List<CompletableFuture<KeepAlive>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pending.add(own.leases().grantAndKeepAliveAsync(TWO_SECONDS, null));
            }
            for (CompletableFuture<KeepAlive> f : pending) {
                KeepAlive ka = f.get(10, TimeUnit.SECONDS);
                handles.add(ka);
                ids.add(ka.id());
            }
            DefaultLeases engine = (DefaultLeases) own.leases();
            assertThat(engine.keptLeases()).isEqualTo(n);

            String violation = Recorder.holdsFor(Duration.ofSeconds(5), () -> handles.stream()
                    .filter(h -> h.state().isTerminal()).findFirst().map(Object::toString).orElse(null));
            assertThat(violation).isNull();
            assertThat(other.leases().list()).containsAll(ids);
            for (long id : ids) {
                assertThat(other.leases().timeToLive(id).remaining()).isPositive();
            }
            // One shared stream, not one per lease. (The engine moves the stream when its member answers nothing
            // for 0.5 s, which a heavily loaded test machine can cause, hence "a few".)
            assertThat(engine.keepAliveStreamsOpened()).as("keep-alive streams opened").isBetween(1L, 3L);
            await().atMost(Duration.ofSeconds(3)).until(() -> handles.stream().allMatch(h -> h.state() == LeaseState.ALIVE));
        }
        // Closing the client stopped every keep-alive without revoking.
        assertThat(handles).allSatisfy(h -> assertThat(h.state()).isEqualTo(LeaseState.CLOSED));
        assertThat(other.leases().list()).containsAll(ids);
    }
}
