package io.etcdkit.spring;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.InvalidConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code etcdkit.*} settings of the auto-configured {@link EtcdClient} (also used by
 * {@code spring.config.import=etcd:} before the application context exists). Unset values keep the client
 * builder's defaults. Mutable bean for binding; not thread-safe.
 */
@ConfigurationProperties(prefix = EtcdProperties.PREFIX)
public class EtcdProperties {
    /** The prefix of these properties. */
    public static final String PREFIX = "etcdkit";

    /** The members to talk to, as http://host:port or https://host:port (default: ETCD_ENDPOINTS or http://127.0.0.1:2379). */
    private List<String> endpoints = new ArrayList<>();
    /** Puts every key the application uses under this prefix. */
    private String namespace;
    /** The default deadline of one call, retries included (default 10 s). */
    private Duration deadline;
    /** How long to keep trying to connect before calls fail as unavailable (default 5 s). */
    private Duration connectTimeout;
    /** User to authenticate as (needs password). */
    private String user;
    /** Password of the user. */
    private String password;
    /** TLS files. */
    private final Tls tls = new Tls();

    /**
     * Creates a client builder with these settings and nothing else.
     *
     * @return a builder the caller may add to (listeners) and build
     * @throws InvalidConfigurationException when a setting is invalid (the message names it)
     */
    public EtcdClientBuilder toClientBuilder() {
        EtcdClientBuilder builder = EtcdClient.builder();
        if (!endpoints.isEmpty()) {
            builder.endpoints(endpoints);
        }
        if (namespace != null && !namespace.isEmpty()) {
            builder.namespace(namespace);
        }
        if (deadline != null) {
            builder.deadline(deadline);
        }
        if (connectTimeout != null) {
            builder.connectTimeout(connectTimeout);
        }
        if (user != null && !user.isEmpty()) {
            if (password == null) {
                throw new InvalidConfigurationException(
                        "etcdkit.user is set but etcdkit.password is not: set both, or neither");
            }
            builder.credentials(user, password);
        }
        if (tls.trustedCertificates != null) {
            builder.trustedCertificates(tls.trustedCertificates);
        }
        if ((tls.clientCertificate == null) != (tls.clientKey == null)) {
            throw new InvalidConfigurationException("etcdkit.tls.client-certificate and etcdkit.tls.client-key "
                    + "go together: set both for mutual TLS, or neither");
        }
        if (tls.clientCertificate != null) {
            builder.clientCertificate(tls.clientCertificate, tls.clientKey);
        }
        return builder;
    }

    /**
     * The configured endpoints as a readable list for messages, or a note that the default applies.
     *
     * @return the endpoints, comma-separated
     */
    public String describeEndpoints() {
        if (!endpoints.isEmpty()) {
            return String.join(",", endpoints);
        }
        String env = System.getenv("ETCD_ENDPOINTS");
        return env != null && !env.isBlank() ? env : "http://127.0.0.1:2379";
    }

    /** @return the endpoints (empty for the default) */
    public List<String> getEndpoints() {
        return endpoints;
    }

    /** @param endpoints the members to talk to */
    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints == null ? new ArrayList<>() : endpoints;
    }

    /** @return the namespace prefix, or null */
    public String getNamespace() {
        return namespace;
    }

    /** @param namespace the namespace prefix */
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** @return the default call deadline, or null for the builder's default */
    public Duration getDeadline() {
        return deadline;
    }

    /** @param deadline the default call deadline */
    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    /** @return the connect timeout, or null for the builder's default */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** @param connectTimeout the connect timeout */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** @return the user, or null */
    public String getUser() {
        return user;
    }

    /** @param user the user to authenticate as */
    public void setUser(String user) {
        this.user = user;
    }

    /** @return the password, or null */
    public String getPassword() {
        return password;
    }

    /** @param password the user's password */
    public void setPassword(String password) {
        this.password = password;
    }

    /** @return the TLS settings */
    public Tls getTls() {
        return tls;
    }

    /** TLS files, all PEM. */
    public static class Tls {
        /** CA bundle that members' certificates are verified against (instead of the JDK's trust store). */
        private Path trustedCertificates;
        /** Client certificate chain for mutual TLS (needs client-key). */
        private Path clientCertificate;
        /** PKCS#8 private key of the client certificate. */
        private Path clientKey;

        /** @return the CA bundle, or null */
        public Path getTrustedCertificates() {
            return trustedCertificates;
        }

        /** @param trustedCertificates the CA bundle */
        public void setTrustedCertificates(Path trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }

        /** @return the client certificate chain, or null */
        public Path getClientCertificate() {
            return clientCertificate;
        }

        /** @param clientCertificate the client certificate chain */
        public void setClientCertificate(Path clientCertificate) {
            this.clientCertificate = clientCertificate;
        }

        /** @return the client key, or null */
        public Path getClientKey() {
            return clientKey;
        }

        /** @param clientKey the client key */
        public void setClientKey(Path clientKey) {
            this.clientKey = clientKey;
        }
    }
}
