package io.etcdkit.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds a JDK {@link SSLContext} from PEM files: trust exactly one CA certificate and optionally present a
 * client certificate and key. PEM parsing is done with BouncyCastle. Stateless and thread-safe.
 */
final class PemSslContexts {

    private static final char[] IN_MEMORY_PASSWORD = "etcdkit".toCharArray();

    private PemSslContexts() {
    }

    /**
     * Creates a TLS context that trusts {@code caCert} only and, when both are given, authenticates with
     * {@code clientCert}/{@code clientKey}.
     *
     * @throws IllegalArgumentException if a file is missing or holds no usable certificate or key
     */
    static SSLContext create(Path caCert, Optional<Path> clientCert, Optional<Path> clientKey) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", readCertificate(caCert));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = null;
            if (clientCert.isPresent() && clientKey.isPresent()) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", readPrivateKey(clientKey.get()), IN_MEMORY_PASSWORD,
                        new Certificate[] {readCertificate(clientCert.get())});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, IN_MEMORY_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot build a TLS context from " + caCert
                    + clientCert.map(c -> " and " + c).orElse("") + ": " + e.getMessage(), e);
        }
    }

    /** Reads the first certificate of a PEM file. */
    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        Object object = readFirst(file);
        if (object instanceof X509CertificateHolder holder) {
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
        throw new IOException(file + " does not start with a PEM certificate");
    }

    /** Reads a PKCS#8 or traditional (SEC1/PKCS#1) PEM private key. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        Object object = readFirst(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        throw new IOException(file + " does not hold an unencrypted PEM private key");
    }

    private static Object readFirst(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new IOException(file + " holds no PEM object");
            }
            return object;
        }
    }
}
