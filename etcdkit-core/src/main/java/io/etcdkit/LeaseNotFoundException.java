package io.etcdkit;

/**
 * The lease does not exist: it expired, was revoked, or never existed. Keys attached to it are gone; grant a new lease.
 */
public class LeaseNotFoundException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public LeaseNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public LeaseNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
