package io.etcdkit.lease;

/**
 * The state of a lease kept alive by a {@link KeepAlive} handle, as this client knows it.
 *
 * <pre>
 *   ALIVE ──no renewal by deadline−margin──▶ AT_RISK ──renewed──▶ ALIVE
 *     │                                         │
 *     ├──server: lease unknown (TTL ≤ 0)──▶ EXPIRED ◀──no renewal for a whole TTL──┘
 *     ├──revoked through this client─────▶ REVOKED
 *     └──handle or client closed─────────▶ CLOSED
 * </pre>
 *
 * <p>{@link #EXPIRED}, {@link #REVOKED} and {@link #CLOSED} are terminal: once there, a handle never changes
 * state again and no longer keeps the lease alive.
 */
public enum LeaseState {
    /**
     * The last keep-alive was answered and the lease's conservative deadline (counted from when that keep-alive
     * was sent) is more than the safety margin away.
     */
    ALIVE,
    /**
     * No keep-alive has been answered for so long that the lease's conservative deadline is less than the safety
     * margin (one third of the TTL) away: the cluster may be unreachable or without leader. The lease still
     * exists on the server, but anything that relies on it (a lock, a registration) should be treated as
     * suspended. Becomes {@link #ALIVE} again when a keep-alive gets through, or {@link #EXPIRED} when none does
     * in time.
     */
    AT_RISK,
    /**
     * The lease is gone, or must be assumed gone: etcd answered a keep-alive saying it does not know the lease
     * (it expired, or someone else revoked it), or no keep-alive was answered for the lease's whole TTL, so the
     * server has let it expire. Its keys are deleted (or will be at once when the server catches up).
     */
    EXPIRED,
    /** The lease was revoked through this client; its keys are deleted. */
    REVOKED,
    /**
     * This client stopped keeping the lease alive: the handle or the client was closed. The lease was not
     * revoked; unless kept alive elsewhere it expires on the server within its TTL.
     */
    CLOSED;

    /**
     * Whether the state is final (the handle no longer keeps the lease alive).
     *
     * @return whether the state is final (the handle no longer keeps the lease alive)
     */
    public boolean isTerminal() {
        return this == EXPIRED || this == REVOKED || this == CLOSED;
    }
}
