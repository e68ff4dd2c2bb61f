package io.etcdkit.internal.cluster;

import io.etcdkit.cluster.Cluster;
import io.etcdkit.internal.ClientContext;

/** The {@link Cluster} of a client view. */
public final class DefaultCluster implements Cluster {
    private final ClientContext ctx;

    /** The service of the view {@code ctx}. */
    public DefaultCluster(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
