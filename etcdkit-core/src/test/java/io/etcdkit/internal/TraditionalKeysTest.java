package io.etcdkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidConfigurationException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

/** PKCS#1 RSA and SEC1 EC keys (as OpenSSL writes them) read back as the same keys. */
class TraditionalKeysTest {
    private static final Path FILE = Path.of("key.pem");

    private static String pem(PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaMiscPEMGenerator(key));
        }
        return out.toString();
    }

    /** SEC1 as {@code openssl ec} writes it: with the curve's name in the parameters field. */
    private static String sec1(PrivateKey key, int bits) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve = new ECPrivateKey(bits, inner.getKey(), inner.getPublicKey(),
                info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive());
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
        }
        return out.toString();
    }

    @Test
    void pkcs1RsaKeyReadsBackEqual() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey original = g.generateKeyPair().getPrivate();
        String pem = pem(original);
        assertThat(pem).contains("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TraditionalKeys.label(pem)).isEqualTo(TraditionalKeys.RSA);
        PrivateKey read = TraditionalKeys.read(pem, TraditionalKeys.RSA, FILE);
        assertThat(read.getAlgorithm()).isEqualTo("RSA");
        assertThat(read.getEncoded()).isEqualTo(original.getEncoded());
    }

    @Test
    void sec1EcKeysOfSeveralCurvesReadBackEqual() throws Exception {
        int[] bits = {256, 384, 521};
        String[] curves = {"secp256r1", "secp384r1", "secp521r1"};
        for (int i = 0; i < curves.length; i++) {
            String curve = curves[i];
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            KeyPair pair = g.generateKeyPair();
            String pem = sec1(pair.getPrivate(), bits[i]);
            assertThat(pem).as(curve).contains("-----BEGIN EC PRIVATE KEY-----");
            PrivateKey read = TraditionalKeys.read(pem, TraditionalKeys.EC, FILE);
            assertThat(read.getAlgorithm()).isEqualTo("EC");
            assertThat(((java.security.interfaces.ECPrivateKey) read).getS()).as(curve)
                    .isEqualTo(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS());
        }
    }

    /** SEC1 without the optional curve parameters, as some tools write it. */
    private static String pemUnchecked() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return pem(g.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void legacyEncryptedAndMalformedKeysAreTypedErrorsSayingWhatToDo() {
        String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n"
                + "-----END RSA PRIVATE KEY-----\n";
        assertThatThrownBy(() -> TraditionalKeys.read(legacy, TraditionalKeys.RSA, FILE))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("openssl pkcs8 -topk8");
        String withoutCurve = pemUnchecked();
        assertThatThrownBy(() -> TraditionalKeys.read(withoutCurve, TraditionalKeys.EC, FILE))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("does not name its curve");
        String garbage = "-----BEGIN EC PRIVATE KEY-----\nAAECAw==\n-----END EC PRIVATE KEY-----\n";
        assertThatThrownBy(() -> TraditionalKeys.read(garbage, TraditionalKeys.EC, FILE))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("key.pem");
    }
}
