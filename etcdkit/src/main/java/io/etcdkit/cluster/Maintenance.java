package io.etcdkit.cluster;

/**
 * Maintenance: member status, alarms, compaction, defragmentation, hashes and snapshots. Thread-safe.
 */
public interface Maintenance {
}
