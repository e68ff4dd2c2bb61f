package io.etcdkit.watch;

/**
 * A subscription lost its place to compaction ({@link ResyncStartedEvent}), re-read the prefix at
 * {@code revision}, and has just emitted the difference (puts for keys that changed or appeared, deletes for keys
 * that vanished) so the consumer's view is exact again. Live changes from {@code revision + 1} follow.
 *
 * @param compactRevision the compaction that forced the re-sync
 * @param revision the revision of the re-read
 */
public record ResyncedEvent(long compactRevision, long revision) implements WatchEvent {
}
