package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MutualTlsClusterTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().clientCertAuth(true).build();

    @Test
    void clientCertAuthImpliesTls() {
        assertThat(ETCD.clientEndpoints()).allMatch(e -> e.startsWith("https://127.0.0.1:"));
        assertThat(ETCD.cluster().tlsFiles()).isPresent();
    }

    @Test
    void aClientWithTheGeneratedCertificateIsServed() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        HttpClient client = GatewayHttp.withClientCert(tls.caCert(), tls.clientCert(), tls.clientKey());

        HttpResponse<String> health = GatewayHttp.get(client, ETCD.clientEndpoints().get(0), "/health",
                Duration.ofSeconds(5));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(health).path("health").asText()).isEqualTo("true");
    }

    @Test
    void aClientWithoutCertificateIsRejected() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        HttpClient noCert = GatewayHttp.trusting(tls.caCert());

        assertThatThrownBy(() -> GatewayHttp.get(noCert, ETCD.clientEndpoints().get(0), "/health",
                Duration.ofSeconds(5))).isInstanceOf(IOException.class);
    }

    @Test
    void etcdctlNeedsTheClientCertificate() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        EtcdctlRun withCert = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(),
                "--cacert=" + tls.caCert(), "--cert=" + tls.clientCert(), "--key=" + tls.clientKey(),
                "put", "mtls", "ok"));
        assertThat(withCert.exitCode()).as(withCert.output()).isZero();

        EtcdctlRun withoutCert = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(),
                "--cacert=" + tls.caCert(), "--dial-timeout=2s", "--command-timeout=3s", "put", "mtls", "no"));
        assertThat(withoutCert.exitCode()).as(withoutCert.output()).isNotZero();
    }
}
