package io.etcdkit.watch;

import io.etcdkit.EtcdException;

/**
 * The watch stream broke (member lost, paused, without leader, or the network failed). The watcher keeps its
 * place and resumes from its next revision on a healthy member; a {@link ResumedEvent} follows when it does.
 * Until then no events arrive, so data derived from the watch may be stale.
 *
 * @param cause what broke
 */
public record DisconnectedEvent(EtcdException cause) implements WatchEvent {
}
