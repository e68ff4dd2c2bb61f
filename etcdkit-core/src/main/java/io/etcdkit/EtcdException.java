package io.etcdkit;

/**
 * The root of every error etcdkit reports.
 *
 * <p>Unchecked. Each subclass names one kind of failure, and every message says what was wrong and what to do
 * about it. Whether an operation may be repeated safely depends on the subclass: see
 * {@link OutcomeUnknownException} for writes whose effect is not known.
 */
public class EtcdException extends RuntimeException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public EtcdException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public EtcdException(String message, Throwable cause) {
        super(message, cause);
    }
}
