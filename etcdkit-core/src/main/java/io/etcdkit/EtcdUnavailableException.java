package io.etcdkit;

/**
 * No etcd member could be reached, or every member refused the request as unavailable. Nothing was applied: the request either never reached a server or was a read. Safe to retry later; check the endpoints and that the cluster is running.
 */
public class EtcdUnavailableException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public EtcdUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
