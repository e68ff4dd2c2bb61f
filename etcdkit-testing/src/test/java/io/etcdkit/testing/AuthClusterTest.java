package io.etcdkit.testing;

import static io.etcdkit.testing.GatewayHttp.b64;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthClusterTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().auth(true).build();

    private final HttpClient http = GatewayHttp.plain();

    @Test
    void unauthenticatedRangeIsRefused() throws Exception {
        HttpResponse<String> range = GatewayHttp.post(http, ETCD.clientEndpoints().get(0), "/v3/kv/range",
                "{\"key\":\"" + b64("k") + "\"}", null);

        assertThat(range.statusCode()).isNotEqualTo(200);
        assertThat(GatewayHttp.json(range).path("message").asText()).contains("user name is empty");
    }

    @Test
    void rootWithTheRootPasswordCanReadAndWrite() throws Exception {
        String endpoint = ETCD.clientEndpoints().get(0);
        String password = ETCD.cluster().rootPassword();
        assertThat(password).isNotBlank();

        HttpResponse<String> auth = GatewayHttp.post(http, endpoint, "/v3/auth/authenticate",
                "{\"name\":\"root\",\"password\":\"" + password + "\"}", null);
        assertThat(auth.statusCode()).as(auth.body()).isEqualTo(200);
        String token = GatewayHttp.json(auth).path("token").asText();
        assertThat(token).isNotEmpty();

        assertThat(GatewayHttp.post(http, endpoint, "/v3/kv/put",
                "{\"key\":\"" + b64("k") + "\",\"value\":\"" + b64("v") + "\"}", token).statusCode()).isEqualTo(200);
        HttpResponse<String> range = GatewayHttp.post(http, endpoint, "/v3/kv/range",
                "{\"key\":\"" + b64("k") + "\"}", token);
        assertThat(range.statusCode()).as(range.body()).isEqualTo(200);
        assertThat(GatewayHttp.unb64(GatewayHttp.json(range).path("kvs").path(0).path("value").asText())).isEqualTo("v");
    }

    @Test
    void aWrongPasswordIsRejected() throws Exception {
        HttpResponse<String> auth = GatewayHttp.post(http, ETCD.clientEndpoints().get(0), "/v3/auth/authenticate",
                "{\"name\":\"root\",\"password\":\"wrong-" + ETCD.cluster().rootPassword() + "\"}", null);

        assertThat(auth.statusCode()).isNotEqualTo(200);
        assertThat(GatewayHttp.json(auth).path("message").asText()).contains("authentication failed");
    }

    @Test
    void etcdctlSeesAuthEnabledWithRootHoldingTheRootRole() throws Exception {
        String user = "--user=root:" + ETCD.cluster().rootPassword();
        EtcdctlRun roles = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(), user,
                "user", "get", "root"));
        assertThat(roles.exitCode()).as(roles.output()).isZero();
        assertThat(roles.output()).contains("Roles: root");

        EtcdctlRun anonymous = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(), "get", "k"));
        assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();
    }
}
