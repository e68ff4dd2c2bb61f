package io.etcdkit.cli;

import io.etcdkit.testing.EtcdCluster;
import java.io.PrintWriter;
import java.util.List;

/**
 * Where a command talks to: the {@code --endpoints} given, else {@code ETCD_ENDPOINTS}, else (for commands that
 * may) a throwaway local cluster that is removed when the command ends.
 */
final class Endpoints implements AutoCloseable {
    private final List<String> endpoints;
    private final EtcdCluster started;

    private Endpoints(List<String> endpoints, EtcdCluster started) {
        this.endpoints = endpoints;
        this.started = started;
    }

    static Endpoints resolve(String option, boolean startLocalWhenMissing, PrintWriter out) {
        String given = option != null ? option : System.getenv("ETCD_ENDPOINTS");
        if (given != null && !given.isBlank()) {
            return new Endpoints(List.of(given.split(",")), null);
        }
        if (!startLocalWhenMissing) {
            return new Endpoints(List.of("http://127.0.0.1:2379"), null);
        }
        EtcdCluster cluster = EtcdCluster.builder().members(1).build();
        cluster.start();
        out.println("Started a throwaway local etcd member at " + cluster.clientEndpointsString()
                + " (removed when the command ends).");
        out.flush();
        return new Endpoints(cluster.clientEndpoints(), cluster);
    }

    List<String> list() {
        return endpoints;
    }

    @Override
    public void close() {
        if (started != null) {
            started.close();
        }
    }
}
