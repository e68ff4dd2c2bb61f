package io.etcdkit;

/**
 * The call's deadline passed before any member answered. For reads nothing changed; a write whose deadline passes after it was sent is reported as {@link OutcomeUnknownException} instead. Raise the deadline with {@code client.withDeadline(..)} or look for a slow or partitioned cluster.
 */
public class DeadlineExceededException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public DeadlineExceededException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
