package io.etcdkit.internal.cluster;

import io.etcdkit.cluster.Maintenance;
import io.etcdkit.internal.ClientContext;

/** The {@link Maintenance} of a client view. */
public final class DefaultMaintenance implements Maintenance {
    private final ClientContext ctx;

    /** The service of the view {@code ctx}. */
    public DefaultMaintenance(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
