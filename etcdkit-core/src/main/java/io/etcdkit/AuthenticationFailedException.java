package io.etcdkit;

/**
 * The user name or password was rejected, or the cluster needs credentials that were not given. Check the credentials passed to {@code EtcdClient.builder().credentials(..)}.
 */
public class AuthenticationFailedException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public AuthenticationFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
