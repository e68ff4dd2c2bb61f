package io.etcdkit.testing;

/**
 * Base class of the unchecked exceptions thrown by the etcd test harness.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class EtcdTestingException extends RuntimeException {

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong and, where possible, how to fix it
     */
    public EtcdTestingException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong and, where possible, how to fix it
     * @param cause   the underlying failure, may be {@code null}
     */
    public EtcdTestingException(String message, Throwable cause) {
        super(message, cause);
    }
}
