package io.etcdkit.zmq;

/**
 * A received message could not be read: its frames do not follow the etcdkit ZeroMQ layout (see the module
 * README), its header has an unsupported version, or the topic's codec rejected the payload (the cause is then the
 * codec's {@link io.etcdkit.codec.ValueDecodingException}). Never thrown to the caller: a subscriber reports it in
 * a {@link SubscriberEvent.Malformed} event, drops that one message and goes on with the next. Usually the sender
 * uses another codec or an older or newer frame layout: fix the sender.
 */
public class MalformedMessageException extends ZmqException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public MalformedMessageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the codec's error.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
