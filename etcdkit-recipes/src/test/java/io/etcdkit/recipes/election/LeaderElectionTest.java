package io.etcdkit.recipes.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.check.ElectionChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election, observation and etcdctl interop against a real member. */
class LeaderElectionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static EtcdClient client;
    static final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        client.close();
    }

    /** Records what an observer reports and feeds the election checker. */
    static final class Observed implements ElectionListener {
        final List<ElectionEvent> events = new CopyOnWriteArrayList<>();
        final ElectionChecker checker;
        final String name;

        Observed(ElectionChecker checker, String name) {
            this.checker = checker;
            this.name = name;
        }

        @Override
        public void onEvent(ElectionEvent event) {
            events.add(event);
            if (event instanceof ElectionEvent.LeaderElected e) {
                checker.observed(name, Optional.of(e.leader().valueAsString()), e.leader().revision());
            } else if (event instanceof ElectionEvent.NoLeader) {
                checker.observed(name, Optional.empty(), 0);
            }
        }

        void await(Predicate<List<ElectionEvent>> condition, Duration timeout) {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(5)).untilAsserted(
                    () -> assertThat(condition.test(events)).as("observer events so far: %s", events).isTrue());
        }
    }

    @Test
    void firstCandidateLeadsAndTheNextTakesOverOnResign() throws Exception {
        ElectionChecker checker = new ElectionChecker();
        Observed seen = new Observed(checker, "o1");
        try (ElectionObserver observer = ElectionObserver.open(client, "el/basic", seen);
                Session a = Session.open(client, Duration.ofSeconds(5));
                Session b = Session.open(client, Duration.ofSeconds(5))) {
            seen.await(ev -> ev.stream().anyMatch(e -> e instanceof ElectionEvent.NoLeader), Duration.ofSeconds(5));
            Leadership lead = LeaderElection.of(a, "el/basic").campaign("node-a");
            assertThat(LeaderElection.of(a, "el/basic").isLeader()).isTrue();
            Future<Leadership> second = pool.submit(() -> LeaderElection.of(b, "el/basic").campaign("node-b"));
            awaitKeys("el/basic/", 2);
            assertThat(second.isDone()).isFalse();
            assertThat(LeaderElection.currentLeader(client, "el/basic")).map(Leader::valueAsString).contains("node-a");
            assertThat(LeaderElection.currentLeaderAsync(client, "el/basic").join()).map(Leader::valueAsString)
                    .contains("node-a");
            lead.proclaim("node-a-v2");
            seen.await(ev -> ev.stream().anyMatch(e -> e instanceof ElectionEvent.LeaderProclaimed),
                    Duration.ofSeconds(5));
            lead.resign();
            Leadership next = second.get(10, TimeUnit.SECONDS);
            assertThat(next.epoch()).isGreaterThan(lead.epoch());
            assertThatThrownBy(() -> lead.proclaim("stale")).isInstanceOf(NotLeaderException.class);
            assertThat(client.kv().commit(Transaction.when(lead.guard()).then(Put.of("el-x", "stale"))).succeeded())
                    .isFalse();
            seen.await(ev -> ev.stream().filter(e -> e instanceof ElectionEvent.LeaderElected).count() == 2,
                    Duration.ofSeconds(5));
            next.resign();
            seen.await(ev -> ev.get(ev.size() - 1) instanceof ElectionEvent.NoLeader, Duration.ofSeconds(5));
            assertThat(seen.events).extracting(e -> e.getClass().getSimpleName()).containsExactly("NoLeader",
                    "LeaderElected", "LeaderProclaimed", "LeaderElected", "NoLeader");
            checker.check().assertClean();
        }
    }

    static void awaitKeys(String prefix, long n) throws InterruptedException {
        await("keys under " + prefix).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> client.kv().count(Range.prefix(prefix)) >= n);
    }

    @Tag("timing") // a wall-clock bound: reported, never fails the build (docs/testing.md)
    @Test
    void whenTheLeadersSessionDiesANewLeaderIsElectedWithinTtlPlusOneSecond() throws Exception {
        ElectionChecker checker = new ElectionChecker();
        Observed seen = new Observed(checker, "o1");
        Duration ttl = Duration.ofSeconds(2);
        try (EtcdClient doomedClient = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                ElectionObserver observer = ElectionObserver.open(client, "el/failover", seen);
                Session b = Session.open(client, ttl)) {
            Session a = Session.open(doomedClient, ttl);
            LeaderElection.of(a, "el/failover").campaign("node-a");
            Future<Leadership> second = pool.submit(() -> LeaderElection.of(b, "el/failover").campaign("node-b"));
            awaitKeys("el/failover/", 2);
            long killed = System.nanoTime();
            doomedClient.close(); // the process "dies": keep-alives stop, nothing is revoked
            Leadership next = second.get(15, TimeUnit.SECONDS);
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("ELECTION FAILOVER: new leader %d ms after the leader's client died (TTL %d ms)%n",
                    failover.toMillis(), ttl.toMillis());
            assertThat(failover).isLessThan(a.ttl().plusSeconds(1).plusMillis(500));
            seen.await(ev -> ev.stream().filter(e -> e instanceof ElectionEvent.LeaderElected).count() == 2,
                    Duration.ofSeconds(5));
            next.resign();
            seen.await(ev -> ev.get(ev.size() - 1) instanceof ElectionEvent.NoLeader, Duration.ofSeconds(5));
            checker.check().assertClean();
        }
    }

    @Test
    void aCampaignFailsWhenTheSessionIsLostWhileWaiting() throws Exception {
        try (Session a = Session.open(client, Duration.ofSeconds(5));
                Session b = Session.open(client, Duration.ofSeconds(5))) {
            Leadership lead = LeaderElection.of(a, "el/lost").campaign("a");
            Future<Leadership> waiting = pool.submit(() -> LeaderElection.of(b, "el/lost").campaign("b"));
            awaitKeys("el/lost/", 2);
            client.leases().revoke(b.leaseId());
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    io.etcdkit.recipes.session.SessionExpiredException.class);
            lead.resign();
        }
    }

    @Test
    void campaignTimesOutAndWithdraws() throws Exception {
        try (Session a = Session.open(client, Duration.ofSeconds(5));
                Session b = Session.open(client, Duration.ofSeconds(5))) {
            Leadership lead = LeaderElection.of(a, "el/timeout").campaign("a");
            assertThat(LeaderElection.of(b, "el/timeout").campaign("b", Duration.ofMillis(300))).isEmpty();
            assertThat(client.kv().count(Range.prefix("el/timeout/"))).isEqualTo(1);
            lead.close();
        }
    }

    @Test
    void campaignAsyncWinsAfterTheLeaderResignsAndACancelWithdrawsTheCandidacy() throws Exception {
        try (Session a = Session.open(client, Duration.ofSeconds(5));
                Session b = Session.open(client, Duration.ofSeconds(5));
                Session c = Session.open(client, Duration.ofSeconds(5))) {
            Leadership lead = LeaderElection.of(a, "el/async").campaignAsync("a").get(10, TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture<Leadership> bWaits = LeaderElection.of(b, "el/async")
                    .campaignAsync("b");
            java.util.concurrent.CompletableFuture<Optional<Leadership>> cWaits = LeaderElection.of(c, "el/async")
                    .campaignAsync("c", Duration.ofSeconds(30));
            awaitKeys("el/async/", 3);
            assertThat(bWaits).isNotDone();
            assertThat(bWaits.cancel(false)).isTrue();
            await("b's candidacy withdrawn").atMost(Duration.ofSeconds(10))
                    .until(() -> client.kv().count(Range.prefix("el/async/")) == 2);
            lead.resign();
            Leadership cLead = cWaits.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(cLead.leader().valueAsString()).isEqualTo("c");
            assertThat(cLead.epoch()).isGreaterThan(lead.epoch());
            assertThat(LeaderElection.of(b, "el/async").campaignAsync("b", Duration.ofMillis(200))
                    .get(10, TimeUnit.SECONDS)).as("time-out").isEmpty();
            assertThat(client.kv().count(Range.prefix("el/async/"))).isEqualTo(1);
            cLead.proclaimAsync("c2").get(10, TimeUnit.SECONDS);
            assertThat(LeaderElection.of(a, "el/async").leaderAsync().get(10, TimeUnit.SECONDS).orElseThrow()
                    .valueAsString()).isEqualTo("c2");
            cLead.resignAsync().get(10, TimeUnit.SECONDS);
            cLead.resignAsync().get(10, TimeUnit.SECONDS); // idempotent
            assertThat(client.kv().count(Range.prefix("el/async/"))).isZero();
            assertThatThrownBy(() -> cLead.proclaimAsync("late").get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(NotLeaderException.class);
            // b's permit was given back by the cancel and the time-out: it can campaign again
            LeaderElection.of(b, "el/async").campaignAsync("b").get(10, TimeUnit.SECONDS).resign();
        }
    }

    @Test
    void interoperatesWithEtcdctlElect() throws Exception {
        try (Session s = Session.open(client, Duration.ofSeconds(5))) {
            Leadership lead = LeaderElection.of(s, "el/interop").campaign("java-node");
            // etcdctl observes the Java leader.
            Process observe = new ProcessBuilder("etcdctl", "--endpoints=" + ETCD.clientEndpointsString(), "elect",
                    "-l", "el/interop").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(observe.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> lines = new CopyOnWriteArrayList<>();
            pool.submit(() -> {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> assertThat(lines).as("etcdctl elect -l output").contains("java-node"));
            // An etcdctl candidate queues behind Java and leads after Java resigns; Java observes it.
            ElectionChecker checker = new ElectionChecker();
            Observed seen = new Observed(checker, "java-observer");
            try (ElectionObserver observer = ElectionObserver.open(client, "el/interop", seen)) {
                Process candidate = new ProcessBuilder("etcdctl", "--endpoints=" + ETCD.clientEndpointsString(),
                        "elect", "el/interop", "etcdctl-node").redirectErrorStream(true).start();
                awaitKeys("el/interop/", 2);
                assertThat(LeaderElection.currentLeader(client, "el/interop")).map(Leader::valueAsString)
                        .contains("java-node");
                lead.resign();
                seen.await(ev -> ev.stream().anyMatch(e -> e instanceof ElectionEvent.LeaderElected le
                        && le.leader().valueAsString().equals("etcdctl-node")), Duration.ofSeconds(10));
                candidate.destroy();
                assertThat(candidate.waitFor(10, TimeUnit.SECONDS)).isTrue();
                checker.check().assertClean();
            } finally {
                observe.destroy();
            }
        }
    }

    @Test
    void badNamesAreRefused() {
        try (Session s = Session.open(client, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> LeaderElection.of(s, "")).isInstanceOf(io.etcdkit.InvalidArgumentException.class);
        }
    }

    static List<String> names(List<ElectionEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.getClass().getSimpleName()));
        return out;
    }
}
