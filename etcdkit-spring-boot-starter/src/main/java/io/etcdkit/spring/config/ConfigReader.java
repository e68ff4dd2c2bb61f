package io.etcdkit.spring.config;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.spring.EtcdProperties;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up client of {@code spring.config.import=etcd:}: reads contexts once while the environment is being
 * prepared, and is closed when Boot closes its bootstrap context (the watcher then uses the application's
 * client). Once etcd proved unreachable for an {@code optional:} import, later contexts are not waited for again.
 */
final class ConfigReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);

    private final EtcdProperties connection;
    private final Duration timeout;
    private EtcdClient client;
    private boolean unreachable;

    ConfigReader(EtcdProperties connection, EtcdConfigProperties config) {
        this.connection = connection;
        this.timeout = config.getFailFastTimeout();
    }

    /**
     * Reads every key under {@code context}.
     *
     * @return the keys, or null when etcd is unreachable and the import is optional
     * @throws EtcdConfigUnavailableException when etcd is unreachable and the import is not optional
     */
    synchronized List<KeyValue> read(String context, boolean optional) {
        if (unreachable && optional) {
            return null;
        }
        try {
            if (client == null) {
                client = connection.toClientBuilder().connectTimeout(timeout).build();
            }
            return client.withDeadline(timeout).kv().list(context);
        } catch (EtcdException e) {
            String what = "could not read configuration '" + context + "' from etcd at "
                    + connection.describeEndpoints() + " within " + timeout.toMillis() + " ms ("
                    + e.getMessage() + ")";
            if (!optional) {
                throw new EtcdConfigUnavailableException("spring.config.import=etcd: " + what
                        + ". Check etcdkit.endpoints and that etcd is running, raise etcdkit.config.fail-fast-timeout,"
                        + " or import with optional:etcd: to start without etcd and pick the values up once it"
                        + " is back.", e);
            }
            unreachable = true;
            LOG.warn("optional:etcd: {}; starting without it, values will arrive once etcd is reachable", what);
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
