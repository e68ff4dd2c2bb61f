package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link CachedValue} that cannot reach etcd tells its listeners once per outage ({@code onDisconnected}, then
 * {@code onReconnected} when it is back), serving the default or its last value meanwhile: against an endpoint
 * where nothing listens, against a member stopped before the value loads, and against a member stopped and
 * restarted under a loaded value.
 */
class CachedValueConnectionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    /** Records every call, in order, as text. */
    static final class Calls implements ValueListener<String> {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void onChange(String value, long revision) {
            calls.add("change " + value + "@" + revision);
        }

        @Override
        public void onDisconnected(EtcdException cause) {
            calls.add("disconnected");
        }

        @Override
        public void onReconnected() {
            calls.add("reconnected");
        }
    }

    @Test
    void aValueOfADeadEndpointSaysDisconnectedOnceAndServesItsDefault() throws Exception {
        Calls calls = new Calls();
        try (EtcdClient client = EtcdClient.builder().endpoints(deadEndpoint()).connectTimeout(CONNECT_TIMEOUT)
                .build();
             CachedValue<String> value = CachedValue.builder(client, "conn/dead", Codecs.text(), "fallback")
                     .listener(calls).open()) {
            await("the first read gives up after the connect timeout").atMost(WAIT)
                    .until(() -> calls.calls.contains("disconnected"));
            // the read is retried every 2 s at most, each attempt failing after the connect timeout: still one call
            await("retries are not reported").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> calls.calls.equals(List.of("disconnected")));
            assertThat(value.get()).isEqualTo("fallback");
            assertThat(value.isConnected()).isFalse();
            assertThat(value.awaitReady(Duration.ofMillis(10))).isFalse();
        }
    }

    @Test
    void aValueThatCannotLoadSaysDisconnectedThenReconnectedThenItsInitialValue() throws Exception {
        long modRevision = putAndRevision("conn/late", "v1");
        EtcdMember member = ETCD.cluster().member(0);
        Calls calls = new Calls();
        member.stop();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .connectTimeout(CONNECT_TIMEOUT).build();
             CachedValue<String> value = CachedValue.builder(client, "conn/late", Codecs.text(), "fallback")
                     .listener(calls).open()) {
            try {
                await("the first read fails").atMost(WAIT).until(() -> calls.calls.contains("disconnected"));
                assertThat(value.get()).isEqualTo("fallback");
            } finally {
                member.start();
            }
            assertThat(value.awaitReady(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> calls.calls.size() >= 3);
            assertThat(calls.calls).containsExactly("disconnected", "reconnected", "change v1@" + modRevision);
            assertThat(value.isConnected()).isTrue();
        }
    }

    @Test
    void aLoadedValueSaysDisconnectedAndReconnectedOnceWhenItsMemberStopsAndRestarts() throws Exception {
        long first = putAndRevision("conn/restart", "v1");
        EtcdMember member = ETCD.cluster().member(0);
        Calls calls = new Calls();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .connectTimeout(CONNECT_TIMEOUT).build();
             CachedValue<String> value = CachedValue.builder(client, "conn/restart", Codecs.text(), "fallback")
                     .listener(calls).open()) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            member.stop();
            try {
                await("the watch breaks").atMost(WAIT).until(() -> calls.calls.contains("disconnected"));
                assertThat(value.get()).as("the last value through the outage").isEqualTo("v1");
                assertThat(value.isConnected()).isFalse();
            } finally {
                member.start();
            }
            ETCD.cluster().awaitHealthy(WAIT);
            await("the watch resumes").atMost(WAIT).until(() -> calls.calls.contains("reconnected"));
            long second;
            try (EtcdClient writer = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
                second = writer.kv().put("conn/restart", "v2").revision();
            }
            assertThat(value.awaitRevision(second, WAIT)).isTrue();
            await().atMost(WAIT).until(() -> calls.calls.size() >= 4);
            assertThat(calls.calls).containsExactly("change v1@" + first, "disconnected", "reconnected",
                    "change v2@" + second);
            assertThat(value.isConnected()).isTrue();
        }
    }

    private static long putAndRevision(String key, String text) {
        try (EtcdClient writer = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            return writer.kv().put(key, text).revision();
        }
    }

    static String deadEndpoint() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }
}
