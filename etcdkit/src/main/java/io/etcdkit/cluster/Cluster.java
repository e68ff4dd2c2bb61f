package io.etcdkit.cluster;

/**
 * Cluster membership: list, add and remove members. Thread-safe.
 */
public interface Cluster {
}
