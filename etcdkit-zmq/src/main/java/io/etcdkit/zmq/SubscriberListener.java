package io.etcdkit.zmq;

/**
 * Receives a {@link ZmqSubscriber}'s events, one at a time, in order, on the subscriber's receiving thread. While
 * it runs no further message is read, so it should be quick; blocking it for long lets the queues fill and the
 * publisher drop messages (then reported as {@link SubscriberEvent.Missed}). An exception thrown here is logged
 * and the stream goes on. It may call {@link ZmqSubscriber#stop()}.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface SubscriberListener<T> {
    /**
     * Handles one event.
     *
     * @param event the event
     */
    void onEvent(SubscriberEvent<T> event);
}
