package io.etcdkit.lease;

import io.etcdkit.Bytes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What etcd knows about a live lease, from {@link Leases#timeToLive(long)} or {@link Leases#timeToLiveWithKeys(long)}.
 *
 * @param id the lease id
 * @param granted the TTL the lease was granted with (and is renewed to by each keep-alive)
 * @param remaining the time left before the server expires the lease unless it is kept alive (whole seconds,
 *     as etcd reports it)
 * @param keys the keys attached to the lease, relative to the client's namespace (empty unless asked for;
 *     keys outside the namespace are left out)
 */
public record LeaseInfo(long id, Duration granted, Duration remaining, List<Bytes> keys) {
    /**
     * Copies the list and checks for nulls.
     *
     * @param id the lease id
     * @param granted the granted
     * @param remaining the remaining
     * @param keys the keys
     */
    public LeaseInfo {
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(remaining, "remaining");
        keys = List.copyOf(keys);
    }
}
