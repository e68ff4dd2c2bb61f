package io.etcdkit.cluster;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Shared helpers of the cluster and maintenance tests. */
final class TestClients {
    private TestClients() {}

    /**
     * A builder for the cluster: its endpoints, and its CA and client certificate when it has TLS; with
     * {@code auth}, the root credentials too.
     */
    static EtcdClientBuilder builder(EtcdCluster cluster, boolean auth) {
        EtcdClientBuilder b = EtcdClient.builder().endpoints(cluster.clientEndpoints());
        if (cluster.tlsFiles().isPresent()) {
            TlsFiles tls = cluster.tlsFiles().get();
            b.trustedCertificates(tls.caCert()).clientCertificate(tls.clientCert(), tls.clientKey());
        }
        return auth ? b.credentials("root", cluster.rootPassword()) : b;
    }

    /** A loopback TCP port that is free right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 50 ms until true; false when {@code timeout} passed first. */
    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
