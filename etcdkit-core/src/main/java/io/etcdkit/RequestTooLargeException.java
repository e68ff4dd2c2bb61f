package io.etcdkit;

/**
 * A request or response exceeded a size limit: the server's request limit (etcd {@code --max-request-bytes}, 1.5 MiB by default) or the client's message-size limits. Split the value or batch, or raise the limits on both sides.
 */
public class RequestTooLargeException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public RequestTooLargeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public RequestTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
