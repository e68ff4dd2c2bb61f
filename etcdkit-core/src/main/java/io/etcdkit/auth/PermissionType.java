package io.etcdkit.auth;

/** What a {@link Permission} allows on its keys. */
public enum PermissionType {
    /** Reading (range, watch). */
    READ,
    /** Writing (put, delete). */
    WRITE,
    /** Reading and writing. */
    READWRITE
}
