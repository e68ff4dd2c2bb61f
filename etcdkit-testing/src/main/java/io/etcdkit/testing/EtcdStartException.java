package io.etcdkit.testing;

/**
 * Thrown when an etcd cluster or member could not be started, or did not become healthy (or elect a
 * leader) within the start timeout.
 *
 * <p>The message names the member(s) concerned and includes the last lines of their log files, so a
 * failing test shows etcd's own explanation (for example an unknown flag or a port that was taken).
 * Instances are immutable and safe to share between threads.
 */
public class EtcdStartException extends EtcdTestingException {

    /**
     * Creates an exception with a message.
     *
     * @param message what failed, including the relevant log tail
     */
    public EtcdStartException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what failed, including the relevant log tail
     * @param cause   the underlying failure, may be {@code null}
     */
    public EtcdStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
