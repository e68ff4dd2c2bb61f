package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;

/**
 * A write that retries by itself ({@link Repository#update(String, java.util.function.UnaryOperator)},
 * {@link Repository#delete(String)}, or a create racing other creates for quota places) gave up: other writers
 * changed what it depended on before each of its attempts. <b>Nothing was written</b> by the call that failed, so
 * it is safe to call again. Raise the builder's {@code retries}, or spread writers over more resources.
 */
public class WriteContentionException extends EtcdException {
    /** The attempts. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param message what was tried and what to do
     * @param attempts how many attempts were made
     */
    public WriteContentionException(String message, int attempts) {
        super(message);
        this.attempts = attempts;
    }

    /**
     * How many attempts were made before giving up.
     *
     * @return how many attempts were made before giving up
     */
    public int attempts() {
        return attempts;
    }
}
