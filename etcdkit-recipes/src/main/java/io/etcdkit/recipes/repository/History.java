package io.etcdkit.recipes.repository;

import java.util.List;

/**
 * The versions of one resource, newest first, as far back as etcd still has them.
 *
 * @param versions the versions found, newest (current) first; never empty
 * @param end why the walk stopped: at the creation, at compacted history, or at the limit asked for
 * @param <T> the value type
 */
public record History<T>(List<Versioned<T>> versions, End end) {

    /** Why a history walk stopped. */
    public enum End {
        /** The oldest version is the one that created the resource (since its last delete): history is complete. */
        CREATED,
        /**
         * Older versions existed but etcd has compacted them away: the history is incomplete, and the oldest
         * version listed is the oldest that can still be read.
         */
        COMPACTED,
        /** The walk stopped at the number of versions asked for; older versions may exist. */
        LIMIT
    }

    /**
     * Copies the list.
     *
     * @param versions the versions
     * @param end the end, exclusive
     */
    public History {
        versions = List.copyOf(versions);
    }

    /**
     * Whether every version since the creation is listed.
     *
     * @return whether every version since the creation is listed
     */
    public boolean isComplete() {
        return end == End.CREATED;
    }

    /**
     * The current version.
     *
     * @return the current version
     */
    public Versioned<T> current() {
        return versions.get(0);
    }
}
