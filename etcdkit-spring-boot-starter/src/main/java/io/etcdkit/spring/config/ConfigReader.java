package io.etcdkit.spring.config;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.spring.EtcdProperties;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short-lived client of {@code spring.config.import=etcd:}: reads contexts while the environment is being
 * prepared (the watcher then uses the application's client). It is closed when Boot closes its bootstrap context,
 * and in any case once no read came for {@link #IDLE}: Spring Cloud's refresh re-runs the import in a bootstrap
 * context that is never closed, and must not leave a client behind each time. Once etcd proved unreachable for an
 * {@code optional:} import, later contexts are not waited for again.
 */
final class ConfigReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);

    private final EtcdProperties connection;
    private final Duration timeout;
    /** How long the client stays open after its last read. */
    static final Duration IDLE = Duration.ofSeconds(2);

    private EtcdClient client;
    private long reads;
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
        } finally {
            long read = ++reads;
            CompletableFuture.delayedExecutor(IDLE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> closeIfIdle(read));
        }
    }

    private synchronized void closeIfIdle(long read) {
        if (read == reads) {
            close();
            unreachable = false; // a later import (a refresh) tries etcd again
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
