package io.etcdkit.watch;

/**
 * What a watcher or subscription delivers: a change to a key ({@link KeyEvent}: {@link PutEvent} or
 * {@link DeleteEvent}, with the same accessors for key, revision and previous value), progress
 * ({@link ProgressEvent}), a change of the connection ({@link ConnectedEvent}, {@link DisconnectedEvent},
 * {@link ResumedEvent}), the end
 * of the watch ({@link CompactedEvent}, {@link EndedEvent}), or for subscriptions the end of the snapshot
 * ({@link SnapshotCompleteEvent}; {@link SnapshotRestartedEvent} when compaction forced it to start over) and a re-sync after compaction ({@link ResyncStartedEvent}, the difference, then
 * {@link ResyncedEvent}).
 *
 * <p>Events of one watcher arrive one at a time, in revision order, on the client's callback executor.
 */
public sealed interface WatchEvent permits KeyEvent, ProgressEvent, ConnectedEvent, DisconnectedEvent,
        ResumedEvent,
        CompactedEvent, EndedEvent, SnapshotCompleteEvent, SnapshotRestartedEvent, ResyncStartedEvent, ResyncedEvent {
}
