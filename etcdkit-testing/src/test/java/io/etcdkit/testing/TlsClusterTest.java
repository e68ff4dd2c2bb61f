package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsClusterTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().tls(true).build();

    @Test
    void endpointsAreHttpsAndReachableWithTheGeneratedCa() throws Exception {
        assertThat(ETCD.clientEndpoints()).allMatch(e -> e.matches("https://127\\.0\\.0\\.1:\\d+"));
        assertThat(ETCD.cluster().member(0).peerEndpoint()).startsWith("http://");
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();

        HttpResponse<String> health = GatewayHttp.get(GatewayHttp.trusting(tls.caCert()), ETCD.clientEndpoints().get(0),
                "/health", Duration.ofSeconds(5));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(health).path("health").asText()).isEqualTo("true");
    }

    @Test
    void unreachableWithAnotherCa() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        HttpClient untrusting = GatewayHttp.trusting(tls.otherCaCert());

        assertThatThrownBy(() -> GatewayHttp.get(untrusting, ETCD.clientEndpoints().get(0), "/health",
                Duration.ofSeconds(5))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpDoesNotReachATlsMember() {
        String httpEndpoint = ETCD.clientEndpoints().get(0).replace("https://", "http://");
        assertThat(GatewayHttp.healthy(GatewayHttp.plain(), httpEndpoint)).isFalse();
    }

    @Test
    void generatedFilesAreTheDocumentedPemKinds() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        assertThat(Files.readString(tls.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.clientKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(GatewayHttp.readPkcs8(tls.clientKey()).getAlgorithm()).isEqualTo("EC");

        X509Certificate ca = certificate(tls.caCert());
        X509Certificate other = certificate(tls.otherCaCert());
        X509Certificate server = certificate(tls.serverCert());
        X509Certificate client = certificate(tls.clientCert());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(other.getSubjectX500Principal()).isNotEqualTo(ca.getSubjectX500Principal());
        server.verify(ca.getPublicKey());
        client.verify(ca.getPublicKey());
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        List<String> sans = server.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString())
                .collect(Collectors.toList());
        assertThat(sans).contains("localhost", "127.0.0.1").anyMatch(ip -> ip.startsWith("0:0:0:0:0:0:0:1"));
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=root");
        assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void etcdctlConnectsWithTheGeneratedCa() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        EtcdctlRun ok = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(),
                "--cacert=" + tls.caCert(), "endpoint", "health"));
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("is healthy");

        EtcdctlRun untrusted = EtcdctlRun.run(List.of("--endpoints=" + ETCD.clientEndpointsString(),
                "--cacert=" + tls.otherCaCert(), "--dial-timeout=2s", "--command-timeout=3s", "endpoint", "health"));
        assertThat(untrusted.exitCode()).as(untrusted.output()).isNotZero();
    }

    private static X509Certificate certificate(Path pem) throws IOException, java.security.GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
