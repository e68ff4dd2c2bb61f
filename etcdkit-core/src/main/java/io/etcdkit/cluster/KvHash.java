package io.etcdkit.cluster;

import java.util.Objects;

/**
 * The hash of one member's key-value history (etcd's HashKV call), for consistency checks: members that agree
 * have the same hash at the same {@code revision} with the same {@code compactRevision}. Immutable.
 *
 * @param endpoint the endpoint that answered
 * @param memberId the answering member
 * @param hash the hash (an unsigned 32-bit value) of every key revision from the compaction point up to
 *     {@code revision}
 * @param compactRevision the member's compaction point when the hash was computed
 * @param revision the member's current revision when it answered
 */
public record KvHash(String endpoint, long memberId, long hash, long compactRevision, long revision) {
    /**
     * Checks the endpoint is given.
     *
     * @param endpoint the member's endpoint URL
     * @param memberId the member id
     * @param hash the hash
     * @param compactRevision the compact revision
     * @param revision the revision
     */
    public KvHash {
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
