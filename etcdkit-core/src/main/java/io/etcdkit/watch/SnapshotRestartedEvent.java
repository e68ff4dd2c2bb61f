package io.etcdkit.watch;

/**
 * The initial snapshot of a subscription was compacted part-way through paging, so it starts over at a new
 * revision: <b>discard every key the subscription delivered before this event</b>. A complete snapshot follows,
 * every key once, all read at one revision, then {@link SnapshotCompleteEvent} with that revision.
 *
 * <p>Only the snapshot phase restarts this way; a subscription that lost its place after the snapshot re-syncs
 * with {@link ResyncStartedEvent} and a difference instead. A consumer that applies snapshot puts as they come
 * clears what it applied; one that acts only at {@link SnapshotCompleteEvent} can ignore this event.
 *
 * @param compactRevision a revision known to be compacted: at least the one the snapshot was being read at (etcd's
 *                        range error does not name the compaction itself)
 */
public record SnapshotRestartedEvent(long compactRevision) implements WatchEvent {
}
