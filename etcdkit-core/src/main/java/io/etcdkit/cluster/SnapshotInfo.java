package io.etcdkit.cluster;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot saved by {@link Maintenance#snapshot(Path)}. Immutable.
 *
 * <p>The file is what etcd sent, exactly as {@code etcdctl snapshot save} writes it: the backend database
 * followed by its 32-byte SHA-256 digest, which {@code etcdctl snapshot restore} checks.
 *
 * @param file where the snapshot was saved
 * @param size the file's size in bytes, digest included
 * @param sha256 the SHA-256 digest of the database (the file without its last 32 bytes) in lower-case hex, as
 *     etcd computed it and as verified by this client
 * @param endpoint the member that sent it
 */
public record SnapshotInfo(Path file, long size, String sha256, String endpoint) {
    /**
     * Checks the fields are given.
     *
     * @param file the file
     * @param size the size
     * @param sha256 the sha256
     * @param endpoint the member's endpoint URL
     */
    public SnapshotInfo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
