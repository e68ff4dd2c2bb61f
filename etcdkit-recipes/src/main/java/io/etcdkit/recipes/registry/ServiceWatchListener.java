package io.etcdkit.recipes.registry;

import io.etcdkit.codec.ValueDecodingException;

/**
 * Hears the changes of a {@link ServiceWatch}'s instance list, one call at a time, in revision order, on the
 * client's callback executor (or, for the replay of the current list on {@link ServiceWatch#addListener}, on the
 * calling thread). Every method defaults to doing nothing. An exception thrown here is logged and ignored.
 */
public interface ServiceWatchListener {
    /**
     * {@code instance} appeared.
     *
     * @param instance the instance
     */
    default void added(ServiceInstance instance) {
    }

    /**
     * {@code instance} (its last known data) disappeared: deregistered, or its lease expired.
     *
     * @param instance the instance
     */
    default void removed(ServiceInstance instance) {
    }

    /**
     * The instance with {@code current.id()} changed its data from {@code previous} to {@code current}.
     *
     * @param previous the previous value
     * @param current the current value
     */
    default void changed(ServiceInstance previous, ServiceInstance current) {
    }

    /**
     * The entry at {@code key} was skipped because it cannot be read: not a valid instance, or (for a watch opened
     * with a payload codec) a payload that codec cannot decode. It is also logged at WARN; the watch treats the
     * entry as absent (an instance that was present and is rewritten unreadable is reported {@code removed}
     * too). Fix the writer, or read the service with the codec it used.
     *
     * @param key the entry's key
     * @param error why it cannot be read
     */
    default void skipped(String key, ValueDecodingException error) {
    }
}
