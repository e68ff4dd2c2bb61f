package io.etcdkit.internal;

import io.etcdkit.observe.EtcdListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The immutable settings of a client, as built by {@code EtcdClient.builder()}.
 *
 * @param endpoints members to talk to, at least one
 * @param connectTimeout how long to try connecting before a call fails as unavailable
 * @param deadline default deadline of one call, retries included
 * @param attemptTimeout longest wait for one attempt when other members could be tried instead
 * @param keepAliveTime idle time before the channel pings the member
 * @param keepAliveTimeout time to wait for a ping answer before the connection is considered dead
 * @param maxInboundMessageSize largest response accepted, in bytes
 * @param maxOutboundMessageSize largest request sent, in bytes
 * @param user user name, or null without authentication
 * @param password password, or null
 * @param trustedCertificates PEM CA bundle to verify members with, or null for the JDK's trust store
 * @param clientCertificate PEM client certificate chain for mTLS, or null
 * @param clientKey PEM (PKCS#8) private key for mTLS, or null
 * @param hostnameVerification whether TLS checks that the member's certificate names the host dialled
 * @param callbackExecutor where results and callbacks run, or null for the client's own pool
 * @param maxTxnOps the server's per-transaction operation limit, used to check batches before sending
 * @param maxRequestBytes the server's request size limit, used to cut bulk loads into batches that fit
 * @param watchStreams how many gRPC watch streams the client's watchers are spread over
 * @param listener told of calls, fail-overs, watch streams and leases; {@code EtcdListener.NONE} for none
 * @param clientKeyPassword the password of an encrypted PKCS#8 client key, or null
 * @param insecureSkipTlsVerification whether TLS accepts any server certificate (development only)
 * @param autoSyncInterval how often the member pool is refreshed from the cluster's member list, or null (off)
 */
public record ClientConfig(
        List<Endpoint> endpoints,
        Duration connectTimeout,
        Duration deadline,
        Duration attemptTimeout,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        int maxInboundMessageSize,
        int maxOutboundMessageSize,
        String user,
        String password,
        Path trustedCertificates,
        Path clientCertificate,
        Path clientKey,
        boolean hostnameVerification,
        Executor callbackExecutor,
        int maxTxnOps,
        int maxRequestBytes,
        int watchStreams,
        EtcdListener listener,
        String clientKeyPassword,
        boolean insecureSkipTlsVerification,
        Duration autoSyncInterval) {

    /** Whether any endpoint uses TLS. */
    public boolean usesTls() {
        return endpoints.stream().anyMatch(Endpoint::tls);
    }

    /** Whether calls carry an auth token. */
    public boolean usesAuth() {
        return user != null;
    }
}
