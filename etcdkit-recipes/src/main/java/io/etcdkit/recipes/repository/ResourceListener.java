package io.etcdkit.recipes.repository;

/**
 * Receives the {@link ResourceEvent}s of a repository watch, one at a time, in revision order, on the client's
 * callback executor. An exception thrown here is logged and does not stop the watch; a listener that blocks
 * delays only its own watch.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ResourceListener<T> {
    /**
     * Handles one event.
     *
     * @param event the event
     */
    void onEvent(ResourceEvent<T> event);
}
