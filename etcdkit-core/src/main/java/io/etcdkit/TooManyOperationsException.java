package io.etcdkit;

/**
 * A transaction held more operations than the server allows (etcd {@code --max-txn-ops}, 128 by default). Nothing was applied. Split the batch, raise the server limit, or use the non-atomic bulk loader.
 */
public class TooManyOperationsException extends InvalidArgumentException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public TooManyOperationsException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public TooManyOperationsException(String message, Throwable cause) {
        super(message, cause);
    }
}
