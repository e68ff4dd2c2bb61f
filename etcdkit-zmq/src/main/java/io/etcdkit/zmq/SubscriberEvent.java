package io.etcdkit.zmq;

import io.etcdkit.recipes.registry.ServiceInstance;
import java.util.Optional;

/**
 * What a {@link ZmqSubscriber} reports, in the order it happened, on one thread: the messages it receives and,
 * alongside them, the state of its connections.
 *
 * <ul>
 *   <li>{@link Message}: a decoded message of one of the subscribed topics;</li>
 *   <li>{@link Connected} / {@link Disconnected}: a connection to a publisher's address was established / lost
 *       (from ZeroMQ's socket monitor, or because the subscriber left the address itself);</li>
 *   <li>{@link PublisherFound} / {@link PublisherGone}: with discovery, a publisher appeared in / left the
 *       registry, so the subscriber connects to / disconnects from its address;</li>
 *   <li>{@link Malformed}: a message could not be read and was dropped; the stream goes on;</li>
 *   <li>{@link Missed}: messages of a topic were lost between two received ones (see {@link ZmqPublisher});</li>
 *   <li>{@link Stopped}: always the last event.</li>
 * </ul>
 *
 * <p>A {@link Connected} event only says the TCP connection is up: the subscription may reach the publisher a
 * moment later, so messages sent right after it can still be missed (ZeroMQ's "slow joiner"). Code that must not
 * miss the start waits for a first message, not for {@link Connected}.
 *
 * @param <T> the message type of the subscriber's topics
 */
public sealed interface SubscriberEvent<T> {

    /**
     * A message.
     *
     * @param topic the topic it came on
     * @param value the decoded message
     * @param publisherId the sending publisher's id (see {@link ZmqPublisher#publisherId()})
     * @param sequence its sequence number on the topic, from that publisher
     */
    record Message<T>(Topic<T> topic, T value, long publisherId, long sequence) implements SubscriberEvent<T> {
    }

    /** The connection to {@code address} is established (ZeroMQ {@code EVENT_CONNECTED}). */
    record Connected<T>(ZmqAddress address) implements SubscriberEvent<T> {
    }

    /**
     * The connection to {@code address} is lost (ZeroMQ {@code EVENT_DISCONNECTED}: the publisher went away; ZeroMQ
     * keeps trying to reconnect while the address is wanted) or was left by the subscriber (its publisher left the
     * registry, or the subscriber stopped).
     */
    record Disconnected<T>(ZmqAddress address) implements SubscriberEvent<T> {
    }

    /** With discovery: {@code instance} is registered, and the subscriber connects to its address. */
    record PublisherFound<T>(ServiceInstance instance) implements SubscriberEvent<T> {
    }

    /** With discovery: {@code instance} left the registry (or changed its address), and is no longer followed. */
    record PublisherGone<T>(ServiceInstance instance) implements SubscriberEvent<T> {
    }

    /**
     * A message could not be read and was dropped.
     *
     * @param topicName the topic frame as text, when the message had one
     * @param error what was wrong; its cause is the codec's error when the payload did not decode
     */
    record Malformed<T>(Optional<String> topicName, MalformedMessageException error) implements SubscriberEvent<T> {
    }

    /**
     * Messages {@code firstMissed} to {@code firstMissed + count - 1} of {@code topic} from publisher
     * {@code publisherId} did not arrive (dropped at a full queue, or sent during a reconnection).
     */
    record Missed<T>(Topic<T> topic, long publisherId, long firstMissed, long count) implements SubscriberEvent<T> {
    }

    /**
     * The subscriber stopped: by {@link ZmqSubscriber#stop()}, or because of {@code failure}. No event follows.
     */
    record Stopped<T>(Optional<ZmqException> failure) implements SubscriberEvent<T> {
    }
}
