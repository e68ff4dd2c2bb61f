package io.etcdkit.watch;

/**
 * A subscription lost its place to compaction and starts re-reading its prefix: the puts and deletes that follow,
 * up to the {@link ResyncedEvent}, are the difference between what it delivered before and the store now. They
 * come in key order, not revision order, so a consumer that derives state from the whole prefix (for example the
 * leader of an election) should act on the state only at the {@link ResyncedEvent}.
 *
 * @param compactRevision the compaction that forced the re-sync
 */
public record ResyncStartedEvent(long compactRevision) implements WatchEvent {
}
