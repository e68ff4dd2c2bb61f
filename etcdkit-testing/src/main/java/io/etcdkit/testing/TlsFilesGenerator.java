package io.etcdkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates the certificates of one TLS cluster run with BouncyCastle: a CA, a server certificate for
 * {@code localhost}/127.0.0.1/::1 (server and client auth, because etcd 3.4's gRPC gateway dials its own
 * gRPC server with the server certificate), a client certificate with CN=root, and an unrelated second CA.
 *
 * <p>Keys are ECDSA P-256 signed with SHA256withECDSA; private keys are written as PKCS#8 PEM. Uses the
 * JDK's default security providers; registers nothing globally. Stateless and thread-safe.
 */
final class TlsFilesGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";

    private TlsFilesGenerator() {
    }

    /**
     * Writes {@code ca.crt, server.crt, server.key, client.crt, client.key, other-ca.crt} into {@code dir}.
     *
     * @throws UncheckedIOException if a file cannot be written
     * @throws IllegalStateException if the JDK lacks EC key generation or ECDSA signing
     */
    static TlsFiles generate(Path dir) {
        try {
            String run = UUID.randomUUID().toString().substring(0, 8);
            KeyPair caKeys = newKeyPair();
            X500Name caName = new X500Name("CN=etcdkit test CA " + run);
            X509Certificate ca = sign(caName, caName, caKeys.getPublic(), caKeys.getPrivate(), null, Role.CA);

            KeyPair otherKeys = newKeyPair();
            X500Name otherName = new X500Name("CN=etcdkit untrusted CA " + run);
            X509Certificate other = sign(otherName, otherName, otherKeys.getPublic(), otherKeys.getPrivate(), null,
                    Role.CA);

            KeyPair serverKeys = newKeyPair();
            X509Certificate server = sign(caName, new X500Name("CN=localhost"), serverKeys.getPublic(),
                    caKeys.getPrivate(), ca, Role.SERVER);

            KeyPair clientKeys = newKeyPair();
            X509Certificate client = sign(caName, new X500Name("CN=root"), clientKeys.getPublic(),
                    caKeys.getPrivate(), ca, Role.CLIENT);

            TlsFiles files = new TlsFiles(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
                    dir.resolve("client.crt"), dir.resolve("client.key"), dir.resolve("other-ca.crt"));
            writeCertificate(files.caCert(), ca);
            writeCertificate(files.otherCaCert(), other);
            writeCertificate(files.serverCert(), server);
            writeKey(files.serverKey(), serverKeys.getPrivate());
            writeCertificate(files.clientCert(), client);
            writeKey(files.clientKey(), clientKeys.getPrivate());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write TLS files to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate ECDSA P-256 certificates with this JDK", e);
        }
    }

    private enum Role { CA, SERVER, CLIENT }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey subjectKey,
                                        PrivateKey issuerKey, X509Certificate issuerCert, Role role)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(63, RANDOM).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, subjectKey);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
        if (issuerCert != null) {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(issuerCert));
        }
        switch (role) {
            case CA:
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                break;
            case SERVER:
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
                break;
            case CLIENT:
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                break;
            default:
                throw new AssertionError(role);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
    }

    private static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(certificate);
        }
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
    }
}
