package io.etcdkit.watch;

import io.etcdkit.EtcdException;

/**
 * The watch ended for a reason other than compaction: the server refused it (e.g. permission denied) or the
 * client was closed. This is the watcher's last event.
 *
 * @param cause why it ended
 */
public record EndedEvent(EtcdException cause) implements WatchEvent {
}
