package io.etcdkit.internal.auth;

import io.etcdkit.auth.Auth;
import io.etcdkit.internal.ClientContext;

/** The {@link Auth} of a client view. */
public final class DefaultAuth implements Auth {
    private final ClientContext ctx;

    /** The service of the view {@code ctx}. */
    public DefaultAuth(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
