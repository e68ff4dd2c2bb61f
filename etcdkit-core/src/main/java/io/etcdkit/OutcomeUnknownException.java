package io.etcdkit;

/**
 * A write (put, delete, transaction, lease grant/revoke) was sent but no answer came back, so it may or may not have been applied. etcdkit never retries such a write on its own, because that could apply it twice. Read the affected keys (or compare revisions) to learn the outcome before writing again.
 */
public class OutcomeUnknownException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public OutcomeUnknownException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public OutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
