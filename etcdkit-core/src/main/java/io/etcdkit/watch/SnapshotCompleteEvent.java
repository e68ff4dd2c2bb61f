package io.etcdkit.watch;

/**
 * A subscription has delivered every key that existed at {@code revision}; live changes from
 * {@code revision + 1} follow.
 *
 * @param revision the revision the snapshot was read at
 * @param keys how many keys the snapshot held
 */
public record SnapshotCompleteEvent(long revision, long keys) implements WatchEvent {
}
