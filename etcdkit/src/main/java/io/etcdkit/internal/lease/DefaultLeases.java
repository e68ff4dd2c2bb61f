package io.etcdkit.internal.lease;

import io.etcdkit.lease.Leases;
import io.etcdkit.internal.ClientContext;

/** The {@link Leases} of a client view. */
public final class DefaultLeases implements Leases {
    private final ClientContext ctx;

    /** The service of the view {@code ctx}. */
    public DefaultLeases(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
