package io.etcdkit.recipes.repository;

import java.time.Duration;

/**
 * One write of a {@link Batch} (a single create, update or delete is a batch of one).
 *
 * @param kind what the write does
 * @param id the resource id
 * @param value the new value (null for a delete)
 * @param expectedVersion the version an update or delete requires (0 for a create)
 * @param ttl the TTL of a created resource, or null for none
 */
record Write<T>(Kind kind, String id, T value, long expectedVersion, Duration ttl) {
    enum Kind { CREATE, UPDATE, DELETE }

    static <T> Write<T> create(String id, T value, Duration ttl) {
        return new Write<>(Kind.CREATE, id, value, 0, ttl);
    }

    static <T> Write<T> update(String id, T value, long expectedVersion) {
        return new Write<>(Kind.UPDATE, id, value, expectedVersion, null);
    }

    static <T> Write<T> delete(String id, long expectedVersion) {
        return new Write<>(Kind.DELETE, id, null, expectedVersion, null);
    }
}
