package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;

/**
 * A write found the resource in another state than it required: it exists although it was to be created
 * ({@link ResourceExistsException}), or its version is not the expected one ({@link VersionConflictException}).
 * <b>Nothing was written.</b> Read the resource again and decide; {@link #currentVersion()} says what the write
 * found.
 */
public class ResourceConflictException extends EtcdException {
    /** The id. */
    private final String id;
    /** The current version. */
    private final long currentVersion;

    /**
     * Creates the exception.
     *
     * @param message what was found and what to do
     * @param id the resource id
     * @param currentVersion the version the write found (0 when the resource does not exist)
     */
    public ResourceConflictException(String message, String id, long currentVersion) {
        super(message);
        this.id = id;
        this.currentVersion = currentVersion;
    }

    /**
     * The resource id.
     *
     * @return the resource id
     */
    public String id() {
        return id;
    }

    /**
     * The resource's version when the write was refused (0 when it does not exist).
     *
     * @return the resource's version when the write was refused (0 when it does not exist)
     */
    public long currentVersion() {
        return currentVersion;
    }
}
