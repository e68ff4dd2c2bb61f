package io.etcdkit.watch;

/**
 * The watch could not continue because the revisions it needed were compacted away: changes between
 * {@code requestedRevision} and {@code compactRevision} can no longer be delivered. For a plain watcher this is
 * its last event: re-read the current state and watch again from that read's revision + 1 (a subscription does
 * this by itself and emits {@link ResyncedEvent} instead).
 *
 * @param compactRevision the oldest revision still available
 * @param requestedRevision the revision the watcher needed next
 */
public record CompactedEvent(long compactRevision, long requestedRevision) implements WatchEvent {
}
