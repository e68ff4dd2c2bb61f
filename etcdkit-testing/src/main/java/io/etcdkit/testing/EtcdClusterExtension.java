package io.etcdkit.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts an {@link EtcdCluster} before all tests of a class and closes it after them.
 *
 * <pre>{@code
 * class MyTest {
 *     @RegisterExtension
 *     static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).tls(true).build();
 *
 *     @Test
 *     void works(EtcdCluster cluster) {          // or ETCD.cluster()
 *         String endpoints = ETCD.clientEndpoints().get(0);
 *     }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: the cluster lives from {@code beforeAll} to {@code afterAll}.
 * {@code @Nested} classes share the enclosing class's cluster. Test methods, constructors and lifecycle
 * methods may declare an {@link EtcdCluster} parameter to receive it. A start failure fails the class with
 * {@link EtcdStartException} (or {@link EtcdBinaryNotFoundException}).
 *
 * <p>Thread safety: the callbacks are serialized; {@link #cluster()} may be called from any thread while the
 * cluster runs. One instance may serve several classes (also in parallel): the cluster starts with the first
 * and is closed after the last.
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final ClusterSettings settings;
    private final Set<String> activeClasses = new HashSet<>();
    private volatile EtcdCluster cluster;

    private EtcdClusterExtension(ClusterSettings settings) {
        this.settings = settings;
    }

    /**
     * A builder with the same options and defaults as {@link EtcdCluster#builder()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An extension for a single plain-http member without auth (all defaults).
     *
     * @return a new extension
     */
    public static EtcdClusterExtension singleMember() {
        return builder().build();
    }

    /**
     * The running cluster of the current test class.
     *
     * @return the running cluster
     * @throws IllegalStateException outside {@code beforeAll}..{@code afterAll}, e.g. if the extension is not
     *                               registered on a static field
     */
    public EtcdCluster cluster() {
        EtcdCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("The etcd cluster is not running: register EtcdClusterExtension with "
                    + "@RegisterExtension on a static field and use it from within the test class");
        }
        return current;
    }

    /**
     * The client URLs of the running cluster; see {@link EtcdCluster#clientEndpoints()}.
     *
     * @return the client URLs, one per member
     * @throws IllegalStateException if the cluster is not running
     */
    public List<String> clientEndpoints() {
        return cluster().clientEndpoints();
    }

    /**
     * The comma-separated client URLs of the running cluster; see {@link EtcdCluster#clientEndpointsString()}.
     *
     * @return the client URLs separated by commas
     * @throws IllegalStateException if the cluster is not running
     */
    public String clientEndpointsString() {
        return cluster().clientEndpointsString();
    }

    /**
     * Starts a new cluster unless one is already running for another class using this extension (an enclosing
     * {@code @Nested} parent, or another class sharing the same static extension instance).
     *
     * @param context the class being started
     * @throws EtcdStartException if the cluster cannot start
     */
    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (cluster == null) {
            EtcdCluster created = new EtcdCluster(settings);
            try {
                created.start();
            } catch (RuntimeException e) {
                created.close();
                throw e;
            }
            cluster = created;
        }
        activeClasses.add(context.getUniqueId());
    }

    /**
     * Closes the cluster when the last class that uses it is done.
     *
     * @param context the class that is done
     */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (activeClasses.remove(context.getUniqueId()) && activeClasses.isEmpty()) {
            EtcdCluster current = cluster;
            cluster = null;
            current.close();
        }
    }

    /** Supports parameters of type {@link EtcdCluster}. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EtcdCluster.class;
    }

    /**
     * Resolves the running cluster.
     *
     * @throws IllegalStateException if the cluster is not running
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return cluster();
    }

    /**
     * Configures an {@link EtcdClusterExtension}; mirrors {@link EtcdCluster.Builder}. Not thread-safe.
     */
    public static final class Builder {

        private final EtcdCluster.Builder cluster = EtcdCluster.builder();

        private Builder() {
        }

        /**
         * See {@link EtcdCluster.Builder#members(int)}.
         *
         * @param members the number of members
         * @return this builder
         */
        public Builder members(int members) {
            cluster.members(members);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#tls(boolean)}.
         *
         * @param tls whether to use TLS
         * @return this builder
         */
        public Builder tls(boolean tls) {
            cluster.tls(tls);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#clientCertAuth(boolean)}.
         *
         * @param clientCertAuth whether to require client certificates
         * @return this builder
         */
        public Builder clientCertAuth(boolean clientCertAuth) {
            cluster.clientCertAuth(clientCertAuth);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#auth(boolean)}.
         *
         * @param auth whether to enable authentication
         * @return this builder
         */
        public Builder auth(boolean auth) {
            cluster.auth(auth);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#rootPassword(String)}.
         *
         * @param rootPassword the password, not empty
         * @return this builder
         */
        public Builder rootPassword(String rootPassword) {
            cluster.rootPassword(rootPassword);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#electionTimeout(Duration)}.
         *
         * @param electionTimeout the election timeout, whole milliseconds
         * @return this builder
         */
        public Builder electionTimeout(Duration electionTimeout) {
            cluster.electionTimeout(electionTimeout);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#heartbeatInterval(Duration)}.
         *
         * @param heartbeatInterval the heartbeat interval, whole milliseconds
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            cluster.heartbeatInterval(heartbeatInterval);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#extraArgs(String...)}.
         *
         * @param args etcd flags such as {@code --max-txn-ops=256}
         * @return this builder
         */
        public Builder extraArgs(String... args) {
            cluster.extraArgs(args);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#startTimeout(Duration)}.
         *
         * @param startTimeout the bound, at least 1 ms
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            cluster.startTimeout(startTimeout);
            return this;
        }

        /**
         * See {@link EtcdCluster.Builder#etcdBinary(Path)}.
         *
         * @param binary path of an etcd executable
         * @return this builder
         */
        public Builder etcdBinary(Path binary) {
            cluster.etcdBinary(binary);
            return this;
        }

        /**
         * Creates the extension; each {@code beforeAll} of a top-level class builds and starts a fresh cluster with
         * these options.
         *
         * @return the extension, to put in a static {@code @RegisterExtension} field
         * @throws IllegalArgumentException if an option is invalid
         */
        public EtcdClusterExtension build() {
            return new EtcdClusterExtension(cluster.settings());
        }
    }
}
