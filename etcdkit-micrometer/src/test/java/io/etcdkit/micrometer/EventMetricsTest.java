package io.etcdkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.lease.LeaseState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The non-call meters follow the listener's events. The events are sent to the listener directly: what matters
 * here is the mapping from event to meter (the client and the recipes report the events themselves).
 */
class EventMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EtcdMetrics metrics = EtcdMetrics.builder(registry).build();

    private double gauge(String name, String key, String value) {
        return registry.get(name).tag(key, value).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void memberFailOversAreCountedAndTheAvoidedGaugeFollowsTheMember() {
        String a = "http://127.0.0.1:2379";
        String b = "http://127.0.0.1:2479";
        metrics.memberAvoided(a, "UNAVAILABLE");
        metrics.memberAvoided(b, "no leader");
        metrics.memberRecovered(a);
        metrics.memberAvoided(a, "UNAVAILABLE");
        metrics.memberRecovered(b);
        assertThat(counter("etcdkit.member.failovers", "member", a)).isEqualTo(2);
        assertThat(counter("etcdkit.member.failovers", "member", b)).isEqualTo(1);
        assertThat(gauge("etcdkit.member.avoided", "member", a)).isEqualTo(1);
        assertThat(gauge("etcdkit.member.avoided", "member", b)).isZero();
    }

    @Test
    void watchMetersFollowStreamsWatchersEventsCompactionsAndResyncs() {
        assertThat(registry.get("etcdkit.watch.watchers").gauge().value()).isZero();
        assertThat(registry.get("etcdkit.watch.events").counter().count()).isZero();
        String m = "http://127.0.0.1:2379";
        metrics.watchStreamConnected(m);
        metrics.watchStreamDisconnected(m, "member silent");
        metrics.watchStreamConnected(m);
        for (int i = 0; i < 3; i++) {
            metrics.watcherOpened();
        }
        metrics.watcherClosed();
        metrics.watchEventsDelivered(5);
        metrics.watchEventsDelivered(256);
        metrics.watchCompacted(42);
        metrics.watchResyncStarted();
        metrics.watchResyncStarted();
        assertThat(counter("etcdkit.watch.stream.connects", "member", m)).isEqualTo(2);
        assertThat(counter("etcdkit.watch.stream.disconnects", "member", m)).isEqualTo(1);
        assertThat(registry.get("etcdkit.watch.watchers").gauge().value()).isEqualTo(2);
        assertThat(registry.get("etcdkit.watch.events").counter().count()).isEqualTo(261);
        assertThat(registry.get("etcdkit.watch.compactions").counter().count()).isEqualTo(1);
        assertThat(registry.get("etcdkit.watch.resyncs").counter().count()).isEqualTo(2);
    }

    @Test
    void leaseTransitionsAreCountedByTheStateEntered() {
        metrics.leaseStateChanged(7, LeaseState.ALIVE, LeaseState.AT_RISK);
        metrics.leaseStateChanged(7, LeaseState.AT_RISK, LeaseState.ALIVE);
        metrics.leaseStateChanged(8, LeaseState.ALIVE, LeaseState.AT_RISK);
        metrics.leaseStateChanged(8, LeaseState.AT_RISK, LeaseState.EXPIRED);
        metrics.keepAliveFailed("stream reset");
        assertThat(counter("etcdkit.lease.transitions", "state", "at_risk")).isEqualTo(2);
        assertThat(counter("etcdkit.lease.transitions", "state", "alive")).isEqualTo(1);
        assertThat(counter("etcdkit.lease.transitions", "state", "expired")).isEqualTo(1);
        assertThat(registry.find("etcdkit.lease.transitions").tag("state", "revoked").counter()).isNull();
        assertThat(registry.get("etcdkit.lease.keepalive.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void lockWaitAndHoldAreTimedWithoutTheLocksName() {
        metrics.lockAcquired("jobs/17", Duration.ofMillis(30));
        metrics.lockAcquired("jobs/18", Duration.ofMillis(10));
        metrics.lockReleased("jobs/17", Duration.ofSeconds(2));
        metrics.queueWaiterWoken("jobs/17");
        assertThat(registry.get("etcdkit.lock.wait").timer().count()).isEqualTo(2);
        assertThat(registry.get("etcdkit.lock.wait").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
        assertThat(registry.get("etcdkit.lock.held").timer().max(TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(registry.get("etcdkit.queue.wakeups").counter().count()).isEqualTo(1);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTag("lock")).isNull());
    }

    @Test
    void theOptInLockTagIsBoundedAndOverflowsToOther() {
        SimpleMeterRegistry tagged = new SimpleMeterRegistry();
        EtcdMetrics m = EtcdMetrics.builder(tagged).lockTag(name -> name.substring(0, name.indexOf('/')), 2).build();
        m.lockAcquired("jobs/1", Duration.ofMillis(1));
        m.lockAcquired("jobs/2", Duration.ofMillis(1));
        m.lockAcquired("reports/1", Duration.ofMillis(1));
        m.lockAcquired("billing/1", Duration.ofMillis(1));
        m.lockAcquired("audit/1", Duration.ofMillis(1));
        m.lockAcquired("jobs/3", Duration.ofMillis(1));
        m.queueWaiterWoken("reports/9");
        assertThat(tagged.get("etcdkit.lock.wait").tag("lock", "jobs").timer().count()).isEqualTo(3);
        assertThat(tagged.get("etcdkit.lock.wait").tag("lock", "reports").timer().count()).isEqualTo(1);
        assertThat(tagged.get("etcdkit.lock.wait").tag("lock", "other").timer().count()).isEqualTo(2);
        assertThat(tagged.get("etcdkit.lock.wait").timers()).hasSize(3);
        assertThat(tagged.get("etcdkit.queue.wakeups").tag("queue", "reports").counter().count()).isEqualTo(1);
    }

    @Test
    void leadershipIsAGaugePerElectionAndChangesAreCounted() {
        metrics.leadershipChanged("scheduler", true);
        metrics.leadershipChanged("scheduler", false);
        metrics.leadershipChanged("scheduler", true);
        metrics.leadershipChanged("compactor", true);
        metrics.leadershipChanged("compactor", false);
        assertThat(gauge("etcdkit.election.leader", "election", "scheduler")).isEqualTo(1);
        assertThat(gauge("etcdkit.election.leader", "election", "compactor")).isZero();
        assertThat(counter("etcdkit.election.changes", "election", "scheduler", "leader", "true")).isEqualTo(2);
        assertThat(counter("etcdkit.election.changes", "election", "scheduler", "leader", "false")).isEqualTo(1);
        assertThat(counter("etcdkit.election.changes", "election", "compactor", "leader", "false")).isEqualTo(1);
    }

    @Test
    void aCachesSizeAndConnectionAreGaugesUntilItCloses() {
        AtomicInteger size = new AtomicInteger(3);
        metrics.cacheOpened("config/", size::get);
        assertThat(gauge("etcdkit.cache.size", "cache", "config/")).isEqualTo(3);
        assertThat(gauge("etcdkit.cache.connected", "cache", "config/")).isZero();
        metrics.cacheConnectionChanged("config/", true);
        size.set(1_000);
        assertThat(gauge("etcdkit.cache.size", "cache", "config/")).isEqualTo(1_000);
        assertThat(gauge("etcdkit.cache.connected", "cache", "config/")).isEqualTo(1);
        metrics.cacheConnectionChanged("config/", false);
        assertThat(gauge("etcdkit.cache.connected", "cache", "config/")).isZero();

        AtomicInteger second = new AtomicInteger(7); // the same prefix opened again
        metrics.cacheOpened("config/", second::get);
        metrics.cacheClosed("config/");
        assertThat(gauge("etcdkit.cache.size", "cache", "config/")).isEqualTo(7);
        metrics.cacheClosed("config/");
        assertThat(registry.find("etcdkit.cache.size").gauges()).isEmpty();
        assertThat(registry.find("etcdkit.cache.connected").gauges()).isEmpty();
        metrics.cacheConnectionChanged("config/", true); // late event after close: ignored
        metrics.cacheClosed("config/");
        assertThat(registry.find("etcdkit.cache.connected").gauges()).isEmpty();
    }

    @Test
    void registryInstancesAreAGaugePerService() {
        metrics.registryChanged("orders", 3);
        metrics.registryChanged("billing", 1);
        metrics.registryChanged("orders", 2);
        assertThat(gauge("etcdkit.registry.instances", "service", "orders")).isEqualTo(2);
        assertThat(gauge("etcdkit.registry.instances", "service", "billing")).isEqualTo(1);
    }

    @Test
    void commonTagsAreOnEveryMeter() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        EtcdMetrics m = EtcdMetrics.builder(r).tags("client", "orders").tags(
                java.util.List.of(io.micrometer.core.instrument.Tag.of("zone", "a"))).build();
        m.memberAvoided("http://127.0.0.1:2379", "x");
        m.leadershipChanged("e", true);
        m.cacheOpened("c/", () -> 1);
        m.registryChanged("s", 1);
        m.leaseStateChanged(1, LeaseState.ALIVE, LeaseState.AT_RISK);
        m.callStarted(new io.etcdkit.observe.CallInfo("KV", "Put", true))
                .ended("http://127.0.0.1:2379", io.etcdkit.observe.CallOutcome.OK, 1_000, null);
        assertThat(r.getMeters()).hasSizeGreaterThan(10).allSatisfy(meter -> {
            assertThat(meter.getId().getTag("client")).isEqualTo("orders");
            assertThat(meter.getId().getTag("zone")).isEqualTo("a");
        });
    }
}
