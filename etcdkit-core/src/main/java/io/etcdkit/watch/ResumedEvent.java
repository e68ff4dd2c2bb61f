package io.etcdkit.watch;

/**
 * The watcher is receiving again after a {@link DisconnectedEvent}, from {@code fromRevision}: no event was lost.
 *
 * @param fromRevision the first revision the resumed watch delivers
 * @param endpoint the member the watch now runs on
 */
public record ResumedEvent(long fromRevision, String endpoint) implements WatchEvent {
}
