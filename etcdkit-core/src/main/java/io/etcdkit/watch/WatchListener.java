package io.etcdkit.watch;

/**
 * Receives a watcher's events, one at a time, in order, on the client's callback executor. An exception thrown
 * here is logged and does not stop the watcher. A listener that blocks delays only its own watcher; events then
 * queue up to the watcher's buffer size, after which the server-side watch pauses until the listener catches up.
 */
@FunctionalInterface
public interface WatchListener {
    /** Handles one event. */
    void onEvent(WatchEvent event);
}
