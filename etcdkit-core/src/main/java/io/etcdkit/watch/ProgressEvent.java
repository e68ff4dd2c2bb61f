package io.etcdkit.watch;

/**
 * Every change up to and including {@code revision} has been delivered.
 *
 * @param revision the revision reached
 */
public record ProgressEvent(long revision) implements WatchEvent {
}
