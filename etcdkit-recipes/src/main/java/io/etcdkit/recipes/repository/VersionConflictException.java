package io.etcdkit.recipes.repository;

/**
 * An update or delete expected a version of the resource that is no longer current: another writer changed it
 * since it was read. Nothing was written. {@link #currentVersion()} is the version found; read the resource
 * again ({@link Repository#get}), re-apply the change, and retry with that version, or let
 * {@link Repository#update(String, java.util.function.UnaryOperator)} do so.
 */
public class VersionConflictException extends ResourceConflictException {
    /** The expected version. */
    private final long expectedVersion;

    /**
     * Creates the exception with the standard message.
     *
     * @param id the resource id
     * @param expectedVersion the version the caller expected
     * @param currentVersion the current version
     */
    public VersionConflictException(String id, long expectedVersion, long currentVersion) {
        super("resource '" + id + "' was changed by another writer: expected version " + expectedVersion
                + " but the current version is " + currentVersion + ". Nothing was written; read it again and "
                + "retry with the current version (or use update(id, function), which retries for you)",
                id, currentVersion);
        this.expectedVersion = expectedVersion;
    }

    /**
     * The version the caller expected.
     *
     * @return the version the caller expected
     */
    public long expectedVersion() {
        return expectedVersion;
    }
}
