package io.etcdkit.kv;

/** Sort direction of a {@link Range} read. */
public enum SortOrder {
    /** Smallest first. */
    ASCEND,
    /** Largest first. */
    DESCEND
}
