package io.etcdkit.kv;

/** What a {@link Range} read sorts by. */
public enum SortTarget {
    /** The key (the default order). */
    KEY,
    /** The key's version. */
    VERSION,
    /** The key's create revision. */
    CREATE_REVISION,
    /** The key's last modification revision. */
    MOD_REVISION,
    /** The value's bytes. */
    VALUE
}
