package io.etcdkit.testing;

import static io.etcdkit.testing.GatewayHttp.alive;
import static io.etcdkit.testing.GatewayHttp.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

class SingleMemberTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private final HttpClient http = GatewayHttp.plain();

    @Test
    void startsHealthyOnALoopbackHttpEndpoint(EtcdCluster injected) throws Exception {
        EtcdCluster cluster = ETCD.cluster();
        assertThat(injected).isSameAs(cluster);
        assertThat(ETCD.clientEndpoints()).hasSize(1).allMatch(e -> e.matches("http://127\\.0\\.0\\.1:\\d+"));
        assertThat(cluster.clientEndpointsString()).isEqualTo(ETCD.clientEndpoints().get(0));
        assertThat(cluster.tlsFiles()).isEmpty();

        HttpResponse<String> health = GatewayHttp.get(http, cluster.clientEndpoints().get(0), "/health",
                Duration.ofSeconds(2));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(health).path("health").asText()).isEqualTo("true");
    }

    @Test
    void memberDescribesItsProcessAndIdentity() throws Exception {
        EtcdMember member = ETCD.cluster().member(0);
        assertThat(ETCD.cluster().members()).containsExactly(member);
        assertThat(member.name()).isEqualTo("m0");
        assertThat(member.clientEndpoint()).isEqualTo(ETCD.clientEndpoints().get(0));
        assertThat(member.peerEndpoint()).matches("http://127\\.0\\.0\\.1:\\d+").isNotEqualTo(member.clientEndpoint());
        assertThat(member.isRunning()).isTrue();
        assertThat(member.isPaused()).isFalse();
        assertThat(alive(member.pid())).isTrue();
        assertThat(member.dataDir().resolve("member")).isDirectory();
        assertThat(Files.readString(member.logFile())).contains("serving client traffic");

        JsonNode status = GatewayHttp.status(http, member.clientEndpoint());
        assertThat(member.memberId()).isEqualTo(GatewayHttp.hexMemberId(status)).matches("[0-9a-f]+");
        assertThat(ETCD.cluster().leader()).isSameAs(member);
    }

    @Test
    void pauseMakesTheMemberUnresponsiveAndResumeRestoresIt() throws Exception {
        EtcdMember member = ETCD.cluster().member(0);
        member.pause();
        try {
            assertThat(member.isPaused()).isTrue();
            assertThat(member.isRunning()).isTrue();
            assertThatThrownBy(() -> GatewayHttp.get(http, member.clientEndpoint(), "/health", Duration.ofMillis(500)))
                    .isInstanceOf(HttpTimeoutException.class);
        } finally {
            member.resume();
        }
        assertThat(member.isPaused()).isFalse();
        await("healthy again after resume").atMost(Duration.ofSeconds(10))
                .until(() -> GatewayHttp.healthy(http, member.clientEndpoint()));
    }

    @Test
    void stopAndStartKeepTheDataDirectoryAndIdentity() throws Exception {
        EtcdMember member = ETCD.cluster().member(0);
        String endpoint = member.clientEndpoint();
        String id = member.memberId();
        long oldPid = member.pid();
        assertThat(GatewayHttp.post(http, endpoint, "/v3/kv/put",
                "{\"key\":\"" + b64("survives") + "\",\"value\":\"" + b64("restart") + "\"}", null).statusCode())
                .isEqualTo(200);

        member.stop();
        assertThat(member.isRunning()).isFalse();
        assertThat(alive(oldPid)).isFalse();
        assertThat(GatewayHttp.healthy(http, endpoint)).isFalse();

        member.start();
        assertThat(member.isRunning()).isTrue();
        assertThat(member.pid()).isNotEqualTo(oldPid);
        assertThat(member.clientEndpoint()).isEqualTo(endpoint);
        assertThat(GatewayHttp.healthy(http, endpoint)).isTrue();
        assertThat(GatewayHttp.hexMemberId(GatewayHttp.status(http, endpoint))).isEqualTo(id);
        JsonNode range = GatewayHttp.json(GatewayHttp.post(http, endpoint, "/v3/kv/range",
                "{\"key\":\"" + b64("survives") + "\"}", null));
        assertThat(GatewayHttp.unb64(range.path("kvs").path(0).path("value").asText())).isEqualTo("restart");
        assertThatThrownBy(member::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
    }

    @Test
    void rootPasswordIsRefusedWithoutAuth() {
        assertThatThrownBy(() -> ETCD.cluster().rootPassword()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("auth(true)");
    }
}
