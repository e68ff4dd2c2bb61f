package io.etcdkit.recipes.repository;

import java.util.Map;
import java.util.Objects;

/**
 * One resource as read from (or just written to) a {@link Repository}, with what is needed to change it safely.
 * Immutable (the value itself is whatever the caller's type is; treat it as read-only).
 *
 * @param id the resource id
 * @param value the decoded value, never null
 * @param version the resource's version: the etcd modification revision of its key. It grows with every write
 *     to the resource and is never reused, not even after a delete and re-create, so it is a safe
 *     compare-and-swap token: pass it to {@link Repository#update(String, Object, long)}. Versions of different
 *     resources are comparable (they come from one cluster-wide counter), so they also order writes.
 * @param createRevision the etcd revision that created the resource (since its last delete); the oldest
 *     version {@link Repository#history(String)} can reach
 * @param labels the resource's labels, from the repository's label extractor (empty when it has none)
 * @param leaseId the id of the lease that carries the resource's TTL, or 0 when it has no TTL; see
 *     {@link Repository#refresh(String)}
 * @param <T> the value type
 */
public record Versioned<T>(String id, T value, long version, long createRevision, Map<String, String> labels,
        long leaseId) {

    /**
     * Checks for nulls and copies the labels.
     *
     * @param id the resource id
     * @param value the value
     * @param version the version
     * @param createRevision the create revision
     * @param labels the labels
     * @param leaseId the lease id
     */
    public Versioned {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        labels = Map.copyOf(labels);
    }

    /**
     * Whether the resource has a TTL (is attached to a lease and vanishes when it expires).
     *
     * @return whether the resource has a TTL (is attached to a lease and vanishes when it expires)
     */
    public boolean hasTtl() {
        return leaseId != 0;
    }
}
