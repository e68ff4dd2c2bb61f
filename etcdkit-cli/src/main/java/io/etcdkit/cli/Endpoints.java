package io.etcdkit.cli;

import io.etcdkit.testing.EtcdCluster;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command talks to: the {@code --endpoints} given, else {@code ETCD_ENDPOINTS}, else
 * {@code http://127.0.0.1:2379} — or, for commands that may ({@code demo}), a throwaway local cluster that is
 * removed when the command ends.
 */
final class Endpoints implements AutoCloseable {
    /** The endpoint used when none is given. */
    static final String DEFAULT = "http://127.0.0.1:2379";

    private final List<String> endpoints;
    private final EtcdCluster started;

    private Endpoints(List<String> endpoints, EtcdCluster started) {
        this.endpoints = endpoints;
        this.started = started;
    }

    static Endpoints resolve(String option, boolean startLocalWhenMissing, PrintWriter out) {
        String given = option != null ? option : System.getenv("ETCD_ENDPOINTS");
        if (given != null && !given.isBlank()) {
            return new Endpoints(split(given), null);
        }
        if (!startLocalWhenMissing) {
            return new Endpoints(List.of(DEFAULT), null);
        }
        EtcdCluster cluster = EtcdCluster.builder().members(1).build();
        cluster.start();
        out.println("Started a throwaway local etcd member at " + cluster.clientEndpointsString()
                + " (removed when the command ends).");
        out.flush();
        return new Endpoints(cluster.clientEndpoints(), cluster);
    }

    private static List<String> split(String given) {
        List<String> list = new ArrayList<>();
        for (String part : given.split(",")) {
            if (!part.isBlank()) {
                list.add(part.strip());
            }
        }
        if (list.isEmpty()) {
            throw CliException.usage("no endpoint in '" + given + "'; give URLs like " + DEFAULT);
        }
        return List.copyOf(list);
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
