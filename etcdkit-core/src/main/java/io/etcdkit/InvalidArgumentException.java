package io.etcdkit;

/**
 * The request was malformed (an empty key, a bad range, a revision in the future, an invalid option). Nothing was applied; fix the argument named in the message.
 */
public class InvalidArgumentException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public InvalidArgumentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
