package io.etcdkit.recipes.session;

/**
 * The state of a {@link Session}.
 *
 * <pre>
 *   CONNECTED ──keep-alive overdue──▶ SUSPENDED ──answered again──▶ CONNECTED
 *       │                                 │
 *       │                                 └──lease deadline passed / etcd says gone──▶ EXPIRED
 *       └──close()──────────────────────────────────────────────────────────────────▶ CLOSED
 * </pre>
 *
 * <p>EXPIRED and CLOSED are final: an expired session never silently recovers; open a new one.
 */
public enum SessionState {
    /** The lease is being renewed in time; keys and locks held through the session are safe. */
    CONNECTED,
    /**
     * No renewal has been answered for so long that the lease's conservative deadline (counted from when the
     * last answered keep-alive was sent) is less than a third of the TTL away. The lease may still exist, but
     * work that depends on it (a held lock, a leadership) must pause: it may be lost at any moment.
     */
    SUSPENDED,
    /** The lease is gone: its keys are deleted, locks and leadership held through it are lost. */
    EXPIRED,
    /** The session was closed (its lease revoked, or the client closed). */
    CLOSED;

    /**
     * Whether the state is final.
     *
     * @return whether the state is final
     */
    public boolean isTerminal() {
        return this == EXPIRED || this == CLOSED;
    }
}
