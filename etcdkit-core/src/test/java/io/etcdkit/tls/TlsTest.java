package io.etcdkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS against a real member that requires client certificates. */
class TlsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().tls(true).clientCertAuth(true).build();

    static TlsFiles tls() {
        return ETCD.cluster().tlsFiles().orElseThrow();
    }

    static String endpoint() {
        return ETCD.clientEndpoints().get(0);
    }

    /** A client with short timeouts, so failures show quickly. */
    static EtcdClient client(String endpoint, UnaryOperator<EtcdClientBuilder> tlsSettings) {
        return tlsSettings.apply(EtcdClient.builder().endpoints(endpoint).connectTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(2))).build();
    }

    @Test
    void theGeneratedCaAndAClientCertificateWork() {
        try (EtcdClient c = client(endpoint(), b -> b.trustedCertificates(tls().caCert())
                .clientCertificate(tls().clientCert(), tls().clientKey()))) {
            c.kv().put("tls/ok", "yes");
            assertThat(c.kv().get("tls/ok")).map(KeyValue::valueAsString).contains("yes");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefusedClearly() {
        try (EtcdClient c = client(endpoint(), b -> b.trustedCertificates(tls().otherCaCert())
                .clientCertificate(tls().clientCert(), tls().clientKey()))) {
            assertThatThrownBy(() -> c.kv().get("tls/x"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("not signed by a trusted certificate authority")
                    .hasMessageContaining("trustedCertificates");
        }
    }

    @Test
    void withoutAClientCertificateTheMemberRefusesClearly() {
        try (EtcdClient c = client(endpoint(), b -> b.trustedCertificates(tls().caCert()))) {
            assertThatThrownBy(() -> c.kv().get("tls/x"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("refused this client's certificate")
                    .hasMessageContaining("clientCertificate");
        }
    }

    @Test
    void plainTextAgainstATlsMemberFailsClearly() {
        String http = endpoint().replace("https://", "http://");
        try (EtcdClient c = client(http, b -> b)) {
            assertThatThrownBy(() -> c.kv().get("tls/x"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining(http);
        }
    }

    @Test
    void unreadableTlsFilesAreRejectedAtBuild(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(missing).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(tls().caCert())
                .clientCertificate(missing, tls().clientKey()).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(tls().caCert())
                .clientCertificate(tls().clientCert(), missing).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(missing.toString());
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(garbage).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(garbage.toString());
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(garbage)
                .hostnameVerification(false).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(garbage.toString());
        // the certificate given as key
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(endpoint()).trustedCertificates(tls().caCert())
                .clientCertificate(tls().clientCert(), tls().clientCert()).build())
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(tls().clientCert().toString());
    }

    /**
     * The member's certificate names 127.0.0.1, ::1 and localhost. Dialled as 127.0.0.2 (through a forwarder),
     * the name does not match: refused with verification on, accepted with it off.
     */
    @Test
    void aHostNameMismatchFailsUnlessVerificationIsOff() throws Exception {
        URI member = URI.create(endpoint());
        try (TcpForwarder forwarder = new TcpForwarder(InetAddress.getByName("127.0.0.2"),
                new InetSocketAddress("127.0.0.1", member.getPort()))) {
            String other = "https://127.0.0.2:" + forwarder.port();
            try (EtcdClient verifying = client(other, b -> b.trustedCertificates(tls().caCert())
                    .clientCertificate(tls().clientCert(), tls().clientKey()))) {
                assertThatThrownBy(() -> verifying.kv().get("tls/x"))
                        .isInstanceOf(EtcdUnavailableException.class)
                        .hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("does not name the host dialled")
                        .hasMessageContaining("127.0.0.2")
                        .hasMessageContaining("hostnameVerification");
            }
            try (EtcdClient lenient = client(other, b -> b.trustedCertificates(tls().caCert())
                    .clientCertificate(tls().clientCert(), tls().clientKey()).hostnameVerification(false))) {
                lenient.kv().put("tls/lenient", "ok");
                assertThat(lenient.kv().get("tls/lenient")).map(KeyValue::valueAsString).contains("ok");
            }
        }
        // "localhost" is in the certificate, so it verifies
        try (EtcdClient byName = client("https://localhost:" + member.getPort(), b -> b
                .trustedCertificates(tls().caCert()).clientCertificate(tls().clientCert(), tls().clientKey()))) {
            assertThat(byName.kv().get("tls/lenient")).map(KeyValue::valueAsString).contains("ok");
        }
    }
}
