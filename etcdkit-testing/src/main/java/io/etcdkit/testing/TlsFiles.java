package io.etcdkit.testing;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files generated for one TLS-enabled {@link EtcdCluster} run.
 *
 * <p>All keys are ECDSA P-256 and written as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), which
 * etcd (Go), the JDK and grpc-java/Netty all read. The files live in a temporary directory that
 * {@link EtcdCluster#close()} deletes. This record is immutable and thread-safe.
 *
 * @param caCert      the certificate authority that signed the server and client certificates; trust it to
 *                    reach the cluster over https
 * @param serverCert  the members' certificate: CN=localhost, SANs 127.0.0.1, ::1 and localhost, usable for
 *                    server and client authentication
 * @param serverKey   the private key of {@code serverCert}
 * @param clientCert  a client certificate with CN=root, signed by {@code caCert}; accepted by members started
 *                    with {@link EtcdCluster.Builder#clientCertAuth(boolean)} and, with auth enabled, mapped by
 *                    etcd to the user {@code root}
 * @param clientKey   the private key of {@code clientCert}
 * @param otherCaCert a second, unrelated certificate authority; a client trusting only this one must fail to
 *                    reach the cluster
 */
public record TlsFiles(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                       Path otherCaCert) {

    /**
     * Validates that no path is {@code null}.
     *
     * @param caCert      see the record description
     * @param serverCert  see the record description
     * @param serverKey   see the record description
     * @param clientCert  see the record description
     * @param clientKey   see the record description
     * @param otherCaCert see the record description
     * @throws NullPointerException if any component is {@code null}
     */
    public TlsFiles {
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(serverCert, "serverCert");
        Objects.requireNonNull(serverKey, "serverKey");
        Objects.requireNonNull(clientCert, "clientCert");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(otherCaCert, "otherCaCert");
    }
}
