package io.etcdkit.lease;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;

/**
 * A lease granted by etcd.
 *
 * <p>Keys written with the lease ({@code Put.of(k, v).lease(lease.id())}) are deleted by etcd when the lease
 * expires or is revoked. The lease expires {@link #ttl()} after it was granted or last kept alive; keep it
 * alive with {@link Leases#keepAlive(long)}.
 *
 * @param id the lease id, positive, unique in the cluster
 * @param ttl the time-to-live the server granted: whole seconds, possibly more than requested (etcd raises a
 *     TTL below its minimum, about 1.5 election timeouts, to that minimum)
 */
public record Lease(long id, Duration ttl) {
    /**
     * Validates the components.
     *
     * @param id the lease id
     * @param ttl the time to live
     */
    public Lease {
        if (id <= 0) {
            throw new InvalidArgumentException("a lease id must be positive, got " + id);
        }
        Objects.requireNonNull(ttl, "ttl");
    }
}
