package io.etcdkit.recipes.publish;

import io.etcdkit.EtcdException;

/**
 * A {@link LeasedPublisher} could not store an entry, so it stopped publishing. {@link #getCause()} is what failed:
 * typically an {@link EtcdException} of the put (an {@link io.etcdkit.OutcomeUnknownException} means the put may
 * or may not have been applied; it was not retried), or the codec's
 * {@link io.etcdkit.InvalidArgumentException} for a value it cannot encode. {@link #key()} names the entry.
 */
public class PublishFailedException extends EtcdException {
    /** The key. */
    private final String key;

    /**
     * Creates the exception for the entry of {@code key}.
     *
     * @param key the key
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public PublishFailedException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /**
     * The key of the entry that could not be stored.
     *
     * @return the key of the entry that could not be stored
     */
    public String key() {
        return key;
    }
}
