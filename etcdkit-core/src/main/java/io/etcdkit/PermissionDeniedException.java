package io.etcdkit;

/**
 * The authenticated user lacks the permission the request needs. Grant the user a role with read or write permission on the key range, or use another user.
 */
public class PermissionDeniedException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public PermissionDeniedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
