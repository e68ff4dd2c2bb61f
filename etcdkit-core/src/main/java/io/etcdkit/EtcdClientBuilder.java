package io.etcdkit;

import io.etcdkit.internal.ClientConfig;
import io.etcdkit.internal.DefaultEtcdClient;
import io.etcdkit.internal.Endpoint;
import io.etcdkit.internal.observe.SafeListener;
import io.etcdkit.observe.EtcdListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Configures and builds an {@link EtcdClient}. Not thread-safe; {@link #build()} may be called more than once
 * and each client is independent. Invalid settings fail at {@link #build()} (or at the setter) with
 * {@link InvalidConfigurationException} naming the setting.
 *
 * <p>Defaults: endpoints from the {@code ETCD_ENDPOINTS} environment variable (comma-separated) or
 * {@code http://127.0.0.1:2379}; connect timeout 5 s; deadline 10 s; attempt timeout 3 s; keepalive every 30 s
 * with a 10 s timeout; inbound messages up to 32 MiB, outbound up to 16 MiB; no authentication; the JDK's
 * trust store with hostname verification for {@code https://} endpoints; a private daemon thread pool for
 * callbacks; a server transaction limit of 128 operations; one watch stream.
 */
public final class EtcdClientBuilder {
    /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
    private static final int ETCD_DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    private List<String> endpoints;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration deadline = Duration.ofSeconds(10);
    private Duration attemptTimeout = Duration.ofSeconds(3);
    private Duration keepAliveTime = Duration.ofSeconds(30);
    private Duration keepAliveTimeout = Duration.ofSeconds(10);
    private Duration autoSyncInterval;
    private int maxInbound = 32 << 20;
    private int maxOutbound = 16 << 20;
    private String user;
    private String password;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String clientKeyPassword;
    private boolean insecureSkipTlsVerification;
    private boolean hostnameVerification = true;
    private String namespace = "";
    private Executor callbackExecutor;
    private int maxTxnOps = 128;
    private int maxRequestBytes = ETCD_DEFAULT_MAX_REQUEST_BYTES;
    private int watchStreams = 1;
    private final List<EtcdListener> listeners = new ArrayList<>();

    EtcdClientBuilder() {}

    /**
     * The members to talk to, as {@code http://host:port} or {@code https://host:port}.
     *
     * @param endpoints the endpoint URLs
     * @return the members to talk to, as {@code http://host:port} or {@code https://host:port}
     */
    public EtcdClientBuilder endpoints(String... endpoints) {
        return endpoints(Arrays.asList(endpoints));
    }

    /**
     * The members to talk to. Each entry may itself be a comma-separated list.
     *
     * @param endpoints the endpoint URLs
     * @return this builder
     */
    public EtcdClientBuilder endpoints(List<String> endpoints) {
        List<String> list = new ArrayList<>();
        for (String e : Objects.requireNonNull(endpoints, "endpoints")) {
            for (String part : String.valueOf(e).split(",")) {
                if (!part.isBlank()) {
                    list.add(part.trim());
                }
            }
        }
        this.endpoints = list;
        return this;
    }

    /**
     * How long to keep trying to connect before calls fail as unavailable.
     *
     * @param timeout how long to wait at most
     * @return this builder
     */
    public EtcdClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * The default deadline of one call, retries included.
     *
     * @param deadline the deadline of each call
     * @return this builder
     */
    public EtcdClientBuilder deadline(Duration deadline) {
        this.deadline = positive(deadline, "deadline");
        return this;
    }

    /**
     * The longest one attempt may wait when another member could be tried instead, so a paused or partitioned
     * member cannot hold a read for the whole deadline. A write whose attempt times out after it was sent fails
     * with {@link OutcomeUnknownException}.
     *
     * @param timeout how long to wait at most
     * @return this builder
     */
    public EtcdClientBuilder attemptTimeout(Duration timeout) {
        this.attemptTimeout = positive(timeout, "attemptTimeout");
        return this;
    }

    /**
     * HTTP/2 keepalive: ping after {@code time} without traffic, and drop the connection when no answer comes
     * within {@code timeout}. etcd refuses pings more frequent than its {@code --grpc-keepalive-min-time}
     * (5 s by default), so {@code time} must be at least 5 s.
     *
     * @param time the time
     * @param timeout how long to wait at most
     * @return this builder
     */
    public EtcdClientBuilder keepAlive(Duration time, Duration timeout) {
        positive(time, "keepAlive time");
        if (time.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new InvalidConfigurationException("keepAlive time " + time + " is below etcd's minimum ping "
                    + "interval of 5 s (--grpc-keepalive-min-time); the server would close the connection");
        }
        this.keepAliveTime = time;
        this.keepAliveTimeout = positive(timeout, "keepAlive timeout");
        return this;
    }

    /**
     * Keeps the client's endpoints in step with the cluster (etcd Go client's {@code AutoSyncInterval}): every
     * {@code interval} the member list is read and the endpoints become the members' client URLs, so members
     * added later are used and removed ones are dropped (their connections closed once their calls ended). A
     * client started with one endpoint of three thus survives that member's removal. Off by default: with a
     * proxy or load balancer as the endpoint, syncing would bypass it. Members that have not started yet (no
     * client URL) are skipped; an empty or failed answer leaves the endpoints as they are. With {@code https://}
     * endpoints, members are reached over TLS whatever scheme they advertise.
     *
     * @param interval how often to refresh, at least one second
     * @return this builder
     * @throws InvalidConfigurationException when {@code interval} is null or shorter than one second
     */
    public EtcdClientBuilder autoSyncInterval(Duration interval) {
        positive(interval, "autoSyncInterval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidConfigurationException("autoSyncInterval " + interval + " is below one second; "
                    + "the member list changes rarely, e.g. use Duration.ofSeconds(30)");
        }
        this.autoSyncInterval = interval;
        return this;
    }

    /**
     * The largest response accepted, in bytes.
     *
     * @param bytes the bytes
     * @return this builder
     */
    public EtcdClientBuilder maxInboundMessageSize(int bytes) {
        this.maxInbound = positiveSize(bytes, "maxInboundMessageSize");
        return this;
    }

    /**
     * The largest request sent, in bytes; larger ones fail with {@link RequestTooLargeException} unsent.
     *
     * @param bytes the bytes
     * @return this builder
     */
    public EtcdClientBuilder maxOutboundMessageSize(int bytes) {
        this.maxOutbound = positiveSize(bytes, "maxOutboundMessageSize");
        return this;
    }

    /**
     * Authenticates as {@code user}; the token is fetched on first use and refreshed when it expires.
     *
     * @param user the user name
     * @param password the password
     * @return this builder
     */
    public EtcdClientBuilder credentials(String user, String password) {
        if (user == null || user.isEmpty()) {
            throw new InvalidConfigurationException("credentials need a non-empty user name");
        }
        this.user = user;
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * Verifies members' TLS certificates against this PEM CA bundle instead of the JDK's trust store.
     *
     * @param caPem the ca pem
     * @return this builder
     */
    public EtcdClientBuilder trustedCertificates(Path caPem) {
        this.trustedCertificates = Objects.requireNonNull(caPem, "caPem");
        return this;
    }

    /**
     * Presents this client certificate chain and private key (both PEM) for mutual TLS. The key may be PKCS#8
     * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC
     * ({@code BEGIN EC PRIVATE KEY}), the forms OpenSSL, cfssl and etcd's own tooling write.
     *
     * @param certificatePem the client certificate, followed by any intermediate certificates
     * @param privateKeyPem its unencrypted private key
     * @return this builder
     */
    public EtcdClientBuilder clientCertificate(Path certificatePem, Path privateKeyPem) {
        this.clientCertificate = Objects.requireNonNull(certificatePem, "certificatePem");
        this.clientKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        this.clientKeyPassword = null;
        return this;
    }

    /**
     * Presents this client certificate chain and password-protected private key for mutual TLS. The key must be
     * encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, as {@code openssl pkcs8 -topk8} writes it).
     *
     * @param certificatePem the client certificate, followed by any intermediate certificates
     * @param encryptedPrivateKeyPem its encrypted PKCS#8 private key
     * @param password the key's password
     * @return this builder
     */
    public EtcdClientBuilder clientCertificate(Path certificatePem, Path encryptedPrivateKeyPem, String password) {
        clientCertificate(certificatePem, encryptedPrivateKeyPem);
        this.clientKeyPassword = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * <b>Insecure, for development only:</b> accepts any server certificate, signed by anyone, for any host (Go's
     * {@code InsecureSkipVerify}). Traffic is still encrypted, but anyone between the client and etcd can read and
     * change it. The client logs a warning when it is built with this switch.
     *
     * @return this builder
     */
    public EtcdClientBuilder insecureSkipTlsVerification() {
        this.insecureSkipTlsVerification = true;
        return this;
    }

    /**
     * Whether TLS checks that a member's certificate names the host dialled (on by default). Turning it off is
     * insecure: any certificate signed by the trusted CA is accepted for any host. Needs
     * {@link #trustedCertificates(Path)}.
     *
     * @param verify the verify
     * @return this builder
     */
    public EtcdClientBuilder hostnameVerification(boolean verify) {
        this.hostnameVerification = verify;
        return this;
    }

    /**
     * Puts every key of the client under {@code prefix} (see {@link EtcdClient#withNamespace(String)}).
     *
     * @param prefix the key prefix
     * @return this builder
     */
    public EtcdClientBuilder namespace(String prefix) {
        this.namespace = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    /**
     * Where results and callbacks run. It should not be a direct executor or a tiny pool whose threads your
     * callbacks block; by default a private pool of daemon threads is used (and shut down on close).
     *
     * @param executor the executor to run callbacks on
     * @return this builder
     */
    public EtcdClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * The server's per-transaction operation limit ({@code --max-txn-ops}), checked before batches are sent.
     *
     * @param limit the most to return
     * @return this builder
     */
    public EtcdClientBuilder maxTxnOps(int limit) {
        if (limit < 1) {
            throw new InvalidConfigurationException("maxTxnOps must be at least 1, got " + limit);
        }
        this.maxTxnOps = limit;
        return this;
    }

    /**
     * The server's request size limit ({@code --max-request-bytes}, 1.5 MiB by default): bulk loads cut their
     * batches so that each fits. Other requests over it fail with {@link RequestTooLargeException}.
     *
     * @param bytes the bytes
     * @return this builder
     */
    public EtcdClientBuilder maxRequestBytes(int bytes) {
        if (bytes < 1024) {
            throw new InvalidConfigurationException("maxRequestBytes must be at least 1024 (etcd's limit on one "
                    + "request, --max-request-bytes, is 1.5 MiB by default), got " + bytes);
        }
        this.maxRequestBytes = bytes;
        return this;
    }

    /**
     * How many gRPC streams the client's watchers share (default 1). One stream carries many thousands of
     * watchers; more streams spread the decoding work of very busy watchers over more threads.
     *
     * @param streams the streams
     * @return this builder
     */
    public EtcdClientBuilder watchStreams(int streams) {
        if (streams < 1 || streams > 64) {
            throw new InvalidConfigurationException("watchStreams must be between 1 and 64, got " + streams);
        }
        this.watchStreams = streams;
        return this;
    }

    /**
     * Adds a listener that is told of every call, member fail-over, watch stream change and lease state change,
     * and of the recipes' figures (see {@link EtcdListener}). May be called more than once; each listener is
     * told in the order added. The {@code etcdkit-micrometer} module provides one for Micrometer.
     *
     * @param listener the listener; it must be thread-safe and must not block
     * @return this builder
     */
    public EtcdClientBuilder listener(EtcdListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Builds the client. Connections are opened lazily, so this does not fail when members are down.
     *
     * @return the etcd client
     */
    public EtcdClient build() {
        List<String> raw = endpoints;
        if (raw == null) {
            String env = System.getenv("ETCD_ENDPOINTS");
            raw = new ArrayList<>();
            for (String part : (env == null || env.isBlank() ? "http://127.0.0.1:2379" : env).split(",")) {
                if (!part.isBlank()) {
                    raw.add(part.trim());
                }
            }
        }
        if (raw.isEmpty()) {
            throw new InvalidConfigurationException("no endpoints given; pass at least one, e.g. "
                    + "endpoints(\"http://127.0.0.1:2379\")");
        }
        List<Endpoint> parsed = new ArrayList<>();
        for (String e : raw) {
            parsed.add(Endpoint.parse(e));
        }
        boolean anyTls = parsed.stream().anyMatch(Endpoint::tls);
        if (!anyTls && (trustedCertificates != null || clientCertificate != null)) {
            throw new InvalidConfigurationException("TLS certificates were given but every endpoint is http://; "
                    + "use https:// endpoints for TLS");
        }
        if (insecureSkipTlsVerification && !anyTls) {
            throw new InvalidConfigurationException("insecureSkipTlsVerification() was set but every endpoint is "
                    + "http://; it only applies to https:// endpoints");
        }
        if (!hostnameVerification && trustedCertificates == null && !insecureSkipTlsVerification) {
            throw new InvalidConfigurationException("hostnameVerification(false) needs trustedCertificates(..): "
                    + "the insecure switch only skips the host name check, the CA check stays");
        }
        ClientConfig config = new ClientConfig(List.copyOf(parsed), connectTimeout, deadline, attemptTimeout,
                keepAliveTime, keepAliveTimeout, maxInbound, maxOutbound, user, password, trustedCertificates,
                clientCertificate, clientKey, hostnameVerification, callbackExecutor, maxTxnOps, maxRequestBytes,
                watchStreams, SafeListener.of(listeners), clientKeyPassword, insecureSkipTlsVerification,
                autoSyncInterval);
        return DefaultEtcdClient.open(config, Bytes.of(namespace));
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidConfigurationException(what + " must be a positive duration, got " + d);
        }
        return d;
    }

    private static int positiveSize(int bytes, String what) {
        if (bytes < 1024) {
            throw new InvalidConfigurationException(what + " must be at least 1024 bytes, got " + bytes);
        }
        return bytes;
    }
}
