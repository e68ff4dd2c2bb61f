package io.etcdkit.recipes.registry;

/**
 * The state of a {@link Registration}.
 *
 * <pre>
 *   REGISTERED ◀──▶ SUSPENDED          (keep-alives overdue / answered again)
 *       │               │
 *       └───lease lost──┴──▶ REREGISTERING ──new session + entry written──▶ REGISTERED
 *   any ──close() or client closed──▶ CLOSED
 * </pre>
 *
 * <p>CLOSED is final.
 */
public enum RegistrationState {
    /** The entry is in etcd under a lease that is renewed in time. */
    REGISTERED,
    /**
     * Renewals are overdue (see {@link io.etcdkit.recipes.session.SessionState#SUSPENDED}): the entry may vanish
     * at any moment. Recovers to {@link #REGISTERED}, or goes to {@link #REREGISTERING} if the lease is lost.
     */
    SUSPENDED,
    /**
     * The lease was lost (expired or revoked by someone else) so the entry is gone; a new session is being opened
     * and the latest instance data written again, retried with back-off until it succeeds or the registration is
     * closed.
     */
    REREGISTERING,
    /**
     * Closed by {@link Registration#close()} (the entry was removed at once), or because the client was closed
     * (the entry then vanishes when its lease expires, within the TTL).
     */
    CLOSED;

    /**
     * Whether the state is final.
     *
     * @return whether the state is final
     */
    public boolean isTerminal() {
        return this == CLOSED;
    }
}
