package io.etcdkit.soak;

import io.etcdkit.EtcdClient;
import java.time.Duration;
import java.util.List;

/**
 * The clients of a soak run: every one talks to every member (loopback only), with a short attempt timeout so
 * that a partitioned or paused member costs one second, and a 5 s deadline per call.
 *
 * @param endpoints the cluster's client endpoints
 */
public record SoakClients(List<String> endpoints) {
    /** Copies {@code endpoints}. */
    public SoakClients {
        endpoints = List.copyOf(endpoints);
    }

    /** {@return a new client; the caller closes it} */
    public EtcdClient open() {
        return EtcdClient.builder().endpoints(endpoints).attemptTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(5)).build();
    }
}
