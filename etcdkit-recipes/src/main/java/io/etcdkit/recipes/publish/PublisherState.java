package io.etcdkit.recipes.publish;

/**
 * The state of a {@link LeasedPublisher}.
 *
 * <pre>
 *   PUBLISHING ──upstream completed, every put acknowledged──▶ COMPLETED
 *       │    └──put failed / lease lost / upstream error──────▶ FAILED
 *       └──close()─────────────────────────────────────────────▶ CLOSED   (from any state)
 * </pre>
 *
 * <p>COMPLETED can still become FAILED when the lease is lost afterwards (the published keys are then gone).
 * CLOSED is final.
 */
public enum PublisherState {
    /** Accepting entries (before and after it was subscribed to a publisher). */
    PUBLISHING,
    /** The upstream completed and every entry is stored; leased keys stay alive until {@code close()}. */
    COMPLETED,
    /**
     * A put failed, the lease was lost, or the upstream signalled an error: the upstream subscription is cancelled
     * and nothing more is written. {@link LeasedPublisher#failure()} says why. Leased keys already written stay
     * (while the lease lives) until {@code close()}.
     */
    FAILED,
    /** Closed: the own lease is revoked (its keys are gone), or, without a lease, the keys persist. */
    CLOSED
}
