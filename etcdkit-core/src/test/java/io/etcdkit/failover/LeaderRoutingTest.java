package io.etcdkit.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes go to the leader once the client has learnt it; reads stay round-robin. Prints sequential put latency
 * sent straight to the leader against sent to a follower that forwards it (clients with one endpoint each), the
 * hop that leader routing saves.
 */
class LeaderRoutingTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    /** Counts successful calls per method and member. */
    static final class Served implements EtcdListener {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public CallListener callStarted(CallInfo call) {
            return new CallListener() {
                @Override
                public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
                    if (outcome == CallOutcome.OK) {
                        counts.computeIfAbsent(call.method() + " " + member, k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            };
        }

        int count(String method, String member) {
            AtomicInteger n = counts.get(method + " " + member);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void writesGoToTheLeaderAndReadsRoundRobin() {
        EtcdMember leader = ETCD.cluster().leader();
        Served served = new Served();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(served).build()) {
            client.kv().put("routing/first", "v"); // the first write goes round-robin and starts learning
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                client.kv().put("routing/probe", "v");
                return served.count("Put", leader.clientEndpoint()) > 0;
            });
            int before = served.count("Put", leader.clientEndpoint());
            for (int i = 0; i < 60; i++) {
                client.kv().put("routing/k" + i, "v");
                client.kv().get("routing/k" + i);
            }
            assertThat(served.count("Put", leader.clientEndpoint()) - before).as("puts served by the leader")
                    .isEqualTo(60);
            for (EtcdMember m : ETCD.cluster().members()) {
                assertThat(served.count("Range", m.clientEndpoint())).as("gets served by %s", m).isPositive();
            }
        }
        printPutLatencyToTheLeaderAndThroughAFollower(leader);
    }

    /**
     * The leader is none of the client's endpoints (as behind a proxy that hides some members): writes go
     * round-robin over the configured ones, as without leader routing, and succeed.
     */
    @Test
    void aLeaderMissingFromTheEndpointsLeavesWritesRoundRobin() {
        EtcdMember leader = ETCD.cluster().leader();
        List<String> followers = ETCD.cluster().members().stream().filter(m -> m != leader)
                .map(EtcdMember::clientEndpoint).toList();
        Served served = new Served();
        try (EtcdClient client = EtcdClient.builder().endpoints(followers).listener(served).build()) {
            for (int i = 0; i < 40; i++) {
                client.kv().put("routing/missing" + i, "v");
            }
            for (String f : followers) {
                assertThat(served.count("Put", f)).as("puts served by %s", f).isPositive();
            }
            assertThat(followers.stream().mapToInt(f -> served.count("Put", f)).sum()).isEqualTo(40);
        }
    }

    /** A measurement, not a check: timing on a shared 2-core machine is too noisy to assert on. */
    private static void printPutLatencyToTheLeaderAndThroughAFollower(EtcdMember leader) {
        EtcdMember follower = ETCD.cluster().members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        int n = 1500;
        try (EtcdClient direct = EtcdClient.builder().endpoints(List.of(leader.clientEndpoint())).build();
                EtcdClient forwarded = EtcdClient.builder().endpoints(List.of(follower.clientEndpoint())).build()) {
            for (int i = 0; i < 300; i++) {
                direct.kv().put("latency/warm", "v");
                forwarded.kv().put("latency/warm", "v");
            }
            long[] toLeader = new long[n];
            long[] viaFollower = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                direct.kv().put("latency/d", "v" + i);
                toLeader[i] = System.nanoTime() - t;
                t = System.nanoTime();
                forwarded.kv().put("latency/f", "v" + i);
                viaFollower[i] = System.nanoTime() - t;
            }
            Arrays.sort(toLeader);
            Arrays.sort(viaFollower);
            System.out.printf("LEADER ROUTING put latency, %d sequential puts each, interleaved: to the leader p50 "
                    + "%.2f ms p99 %.2f ms; through a follower p50 %.2f ms p99 %.2f ms%n", n,
                    toLeader[n / 2] / 1e6, toLeader[n * 99 / 100] / 1e6, viaFollower[n / 2] / 1e6,
                    viaFollower[n * 99 / 100] / 1e6);
        }
    }
}
