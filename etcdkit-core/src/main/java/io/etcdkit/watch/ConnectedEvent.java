package io.etcdkit.watch;

/**
 * A plain watcher's server-side watch is established: changes from {@code fromRevision} on will be delivered.
 * Sent once, before any change; useful for a watch "from now", whose start is otherwise unknown. (A
 * subscription signals the same with its {@link SnapshotCompleteEvent}.)
 *
 * @param fromRevision the first revision the watch delivers
 * @param endpoint the member the watch runs on
 */
public record ConnectedEvent(long fromRevision, String endpoint) implements WatchEvent {
}
