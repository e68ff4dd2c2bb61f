package io.etcdkit.examples.spring;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdCluster;
import java.util.Arrays;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * When no etcd is configured (no {@code ETCD_ENDPOINTS}, no {@code --etcdkit.endpoints}), starts a throwaway local
 * member the way {@code etcdkit demo} does (etcdkit-testing's launcher; needs the {@code etcd} binary), seeds
 * {@code greeting.message}, and removes the member after the application has shut down (so that the application
 * deregisters while etcd still runs).
 */
final class ThrowawayEtcd implements AutoCloseable {
    static final String KEY = "config/etcdkit-example/greeting/message";

    private final EtcdCluster cluster;

    private ThrowawayEtcd(EtcdCluster cluster) {
        this.cluster = cluster;
    }

    /** @return the started member, or null when etcd is configured */
    static ThrowawayEtcd startUnlessConfigured(String[] args) {
        boolean configured = System.getenv("ETCD_ENDPOINTS") != null || System.getProperty("etcdkit.endpoints") != null
                || Arrays.stream(args).anyMatch(a -> a.startsWith("--etcdkit.endpoints="));
        if (configured) {
            return null;
        }
        EtcdCluster cluster = EtcdCluster.builder().build();
        cluster.start();
        String endpoints = cluster.clientEndpointsString();
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
            client.kv().put(KEY, "hello from etcd");
        }
        System.setProperty("etcdkit.endpoints", endpoints);
        System.out.printf("%nStarted a throwaway etcd member at %s. Change the greeting live with:%n"
                + "  ETCDCTL_API=3 etcdctl --endpoints=%s put %s 'hi again'%n%n", endpoints, endpoints, KEY);
        return new ThrowawayEtcd(cluster);
    }

    /** Stops the member once {@code app} has closed (on JVM exit). */
    void closeAfter(ConfigurableApplicationContext app) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(); // waits for Spring's own shutdown hook: deregistration happens while etcd still runs
            close();
        }, "throwaway-etcd"));
    }

    @Override
    public void close() {
        cluster.close();
    }
}
