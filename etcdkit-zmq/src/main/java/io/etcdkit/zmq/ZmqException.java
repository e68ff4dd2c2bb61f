package io.etcdkit.zmq;

import io.etcdkit.EtcdException;

/**
 * A ZeroMQ publisher or subscriber could not do what was asked (a socket could not be bound or opened). The
 * message says what failed and what to do. Subclasses name the common cases.
 */
public class ZmqException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public ZmqException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public ZmqException(String message, Throwable cause) {
        super(message, cause);
    }
}
