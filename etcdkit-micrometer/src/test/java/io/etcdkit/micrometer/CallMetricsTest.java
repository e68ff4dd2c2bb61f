package io.etcdkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.kv.Range;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.testing.EtcdClusterExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calls made by a real client against real etcd are timed once each, tagged with their outcome. */
class CallMetricsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static Search calls(SimpleMeterRegistry registry, String method, String outcome) {
        return registry.find("etcdkit.calls").tag("service", "KV").tag("method", method).tag("outcome", outcome);
    }

    @Test
    void putsAndGetsAreCountedExactlyWithTheirDuration() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EtcdMetrics metrics = EtcdMetrics.builder(registry).tags("client", "test").build();
        long started = System.nanoTime();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build()) {
            for (int i = 0; i < 7; i++) {
                client.kv().put("metrics/counted/" + i, "v" + i);
            }
            for (int i = 0; i < 4; i++) {
                assertThat(client.kv().get("metrics/counted/" + i)).isPresent();
            }
        }
        long elapsed = System.nanoTime() - started;
        Timer puts = calls(registry, "Put", "ok").tag("write", "true").tag("client", "test").timer();
        Timer gets = calls(registry, "Range", "ok").tag("write", "false").tag("client", "test").timer();
        assertThat(puts).isNotNull();
        assertThat(gets).isNotNull();
        assertThat(puts.count()).isEqualTo(7);
        assertThat(gets.count()).isEqualTo(4);
        assertThat(puts.totalTime(TimeUnit.NANOSECONDS)).isPositive().isLessThan(elapsed);
        assertThat(gets.max(TimeUnit.NANOSECONDS)).isPositive().isLessThan(elapsed);
        // only the outcomes that happened exist, and nothing was retried
        assertThat(registry.find("etcdkit.calls").tag("outcome", "ok").timers()).hasSize(2);
        assertThat(registry.find("etcdkit.calls").timers()).hasSize(2);
        assertThat(registry.find("etcdkit.call.retries").counters()).isEmpty();
    }

    @Test
    void anUnreachableEndpointEndsUnavailableAfterCountedRetries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EtcdMetrics metrics = EtcdMetrics.builder(registry).build();
        try (EtcdClient client = EtcdClient.builder().endpoints("http://127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(600)).listener(metrics).build()) {
            assertThatThrownBy(() -> client.kv().get("x")).isInstanceOf(EtcdUnavailableException.class);
        }
        Timer unavailable = calls(registry, "Range", "unavailable").tag("write", "false").timer();
        assertThat(unavailable).isNotNull();
        assertThat(unavailable.count()).isEqualTo(1);
        assertThat(registry.find("etcdkit.calls").timers()).hasSize(1);
        Counter retries = registry.find("etcdkit.call.retries").tag("service", "KV").tag("method", "Range")
                .tag("outcome", "unavailable").counter();
        assertThat(retries).isNotNull();
        assertThat(retries.count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCompactedReadEndsRefused() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EtcdMetrics metrics = EtcdMetrics.builder(registry).build();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build()) {
            long rev = client.kv().put("metrics/compacted", "1").revision();
            client.kv().put("metrics/compacted", "2");
            client.maintenance().compact(rev + 1, false);
            assertThatThrownBy(() -> client.kv().range(Range.key("metrics/compacted").atRevision(rev)))
                    .isInstanceOf(CompactedException.class);
        }
        Timer refused = calls(registry, "Range", "refused").tag("write", "false").timer();
        assertThat(refused).isNotNull();
        assertThat(refused.count()).isEqualTo(1);
        assertThat(calls(registry, "Put", "ok").timer().count()).isEqualTo(2);
        assertThat(registry.find("etcdkit.calls").tag("service", "KV").tag("method", "Compact")
                .tag("outcome", "ok").tag("write", "true").timer()).isNotNull();
    }

    @Test
    void callsOfOneKindShareOneListenerSoTheHotPathAllocatesNothing() {
        EtcdMetrics metrics = EtcdMetrics.builder(new SimpleMeterRegistry()).build();
        CallInfo put = new CallInfo("KV", "Put", true);
        assertThat(metrics.callStarted(put)).isSameAs(metrics.callStarted(new CallInfo("KV", "Put", true)))
                .isInstanceOf(CallMeters.class);
        assertThat(metrics.callStarted(put)).isNotSameAs(metrics.callStarted(new CallInfo("KV", "Put", false)));
    }

    @Test
    void badBuilderInputIsRefusedWithTheReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertThatThrownBy(() -> EtcdMetrics.builder(registry).tags("client"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs");
        assertThatThrownBy(() -> EtcdMetrics.builder(registry).lockTag(n -> n, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 1000");
        assertThatThrownBy(() -> EtcdMetrics.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registry");
    }
}
