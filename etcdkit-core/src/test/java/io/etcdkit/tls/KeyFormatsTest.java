package io.etcdkit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.TlsFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client keys in the forms OpenSSL, cfssl and Go use — SEC1 EC, encrypted PKCS#8 — work for mutual TLS against a
 * real member that requires client certificates; the insecure switch trusts an unknown CA only when asked.
 */
class KeyFormatsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().tls(true).clientCertAuth(true).build();

    @TempDir
    Path dir;

    static TlsFiles tls() {
        return ETCD.cluster().tlsFiles().orElseThrow();
    }

    static PrivateKey clientKey() throws IOException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(tls().clientKey()))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
    }

    /** The key as OpenSSL's {@code openssl ec} writes it: SEC1 with the curve's name in its parameters. */
    static PemObject sec1WithCurve(Path pkcs8) throws IOException {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(pkcs8))) {
            PrivateKeyInfo info = (PrivateKeyInfo) p.readObject();
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ASN1Primitive curve = info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive();
            java.math.BigInteger d = inner.getKey();
            ECPrivateKey withCurve = new ECPrivateKey(256, d, inner.getPublicKey(), curve);
            return new PemObject("EC PRIVATE KEY", withCurve.getEncoded());
        }
    }

    private Path write(String name, Object pemObject) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pemObject);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, out.toString());
        return file;
    }

    private static void works(EtcdClient c, String key) {
        c.kv().put(key, "yes");
        assertThat(c.kv().get(key)).map(KeyValue::valueAsString).contains("yes");
    }

    @Test
    void sec1EcKeyWorks() throws Exception {
        Path sec1 = write("client-sec1.pem", sec1WithCurve(tls().clientKey()));
        assertThat(Files.readString(sec1)).contains("-----BEGIN EC PRIVATE KEY-----");
        try (EtcdClient c = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5))
                .trustedCertificates(tls().caCert()).clientCertificate(tls().clientCert(), sec1).build()) {
            works(c, "tls/sec1");
        }
    }

    @Test
    void encryptedPkcs8KeyWorksWithItsPasswordOnly() throws Exception {
        Path encrypted = write("client-enc.pem", new JcaPKCS8Generator(clientKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                        .setPassword("s3cret".toCharArray())
                        .build()));
        assertThat(Files.readString(encrypted)).contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        try (EtcdClient c = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5))
                .trustedCertificates(tls().caCert()).clientCertificate(tls().clientCert(), encrypted, "s3cret")
                .build()) {
            works(c, "tls/encrypted");
        }
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .trustedCertificates(tls().caCert()).clientCertificate(tls().clientCert(), encrypted).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("is encrypted")
                .hasMessageContaining("clientCertificate(cert, key, password)");
        assertThatThrownBy(() -> EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .trustedCertificates(tls().caCert()).clientCertificate(tls().clientCert(), encrypted, "wrong").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("right password");
    }

    @Test
    void insecureModeTrustsAnUnknownCaOnlyWhenAsked() {
        // no trustedCertificates: the JDK's trust store does not know the test CA
        try (EtcdClient c = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).connectTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(2)).clientCertificate(tls().clientCert(), tls().clientKey()).build()) {
            assertThatThrownBy(() -> c.kv().get("tls/x")).isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed");
        }
        try (EtcdClient c = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5))
                .insecureSkipTlsVerification().clientCertificate(tls().clientCert(), tls().clientKey()).build()) {
            works(c, "tls/insecure");
        }
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("http://127.0.0.1:2379")
                .insecureSkipTlsVerification().build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("https://");
    }
}
