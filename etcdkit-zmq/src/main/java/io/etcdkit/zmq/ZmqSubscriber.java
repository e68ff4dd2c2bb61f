package io.etcdkit.zmq;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * Receives the messages of one or more {@link Topic}s of one type from ZeroMQ publishers, found at fixed addresses
 * or by name in a {@link ServiceRegistry}, and reports them together with its connection state as
 * {@link SubscriberEvent}s, to a {@link SubscriberListener} or as a {@link Flow.Publisher}.
 *
 * <pre>{@code
 * try (ZmqSubscriber<Quote> sub = ZmqSubscriber.builder(quotes)
 *         .discover(ServiceRegistry.of(client), "market-data")
 *         .listener(event -> {
 *             if (event instanceof SubscriberEvent.Message<Quote> m) {
 *                 use(m.value());
 *             }
 *         })
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Discovery</b> ({@link Builder#discover}) follows the registry: the subscriber connects to every registered
 * instance of the service, connects to instances that appear, and leaves those that disappear (a publisher that
 * restarts elsewhere is followed to its new address). {@link Builder#connect} adds fixed addresses instead (or as
 * well). ZeroMQ reconnects by itself to a wanted address whose publisher went away.
 *
 * <p><b>Events</b> come one at a time, in order, on the subscriber's receiving thread. A message that cannot be
 * read is reported ({@link SubscriberEvent.Malformed}) and the stream goes on.
 *
 * <p><b>Threads and shutdown.</b> Each subscriber has one receiving thread; publishers and subscribers share one
 * ZeroMQ context (an I/O thread and a reaper) that ends with the last of them. {@link #stop()} closes the registry
 * watch, the sockets and the receiving thread, and returns after the final {@link SubscriberEvent.Stopped} was
 * delivered. Thread-safe.
 *
 * @param <T> the message type
 */
public final class ZmqSubscriber<T> implements AutoCloseable {
    private final Receiver<T> receiver;
    private final PeerDirectory.PeerWatch watch; // null without discovery

    private ZmqSubscriber(Receiver<T> receiver, PeerDirectory.PeerWatch watch) {
        this.receiver = receiver;
        this.watch = watch;
    }

    /**
     * A builder for a subscriber to {@code topic}; more topics of the same type can be added.
     *
     * @param <T> the type of the values
     * @param topic the topic
     * @return a builder for a subscriber to {@code topic}; more topics of the same type can be added
     */
    public static <T> Builder<T> builder(Topic<T> topic) {
        return new Builder<T>().topic(topic);
    }

    /**
     * The addresses it is connected to now (TCP connection up).
     *
     * @return the addresses it is connected to now (TCP connection up)
     */
    public Set<ZmqAddress> connectedAddresses() {
        return receiver.connectedAddresses();
    }

    /**
     * The addresses it wants to be connected to: the fixed ones and those of the publishers found.
     *
     * @return the addresses it wants to be connected to: the fixed ones and those of the publishers found
     */
    public Set<ZmqAddress> addresses() {
        return receiver.wantedAddresses();
    }

    /**
     * Whether stopping was asked for (by {@link #stop()}, or a cancelled flow subscription) or it failed.
     *
     * @return whether stopping was asked for (by {@link #stop()}, or a cancelled flow subscription) or it failed
     */
    public boolean isStopped() {
        return receiver.isStopping();
    }

    /**
     * Stops: closes the registry watch, leaves every address (each connected one is reported
     * {@link SubscriberEvent.Disconnected}), closes the sockets, the ZeroMQ context and the receiving thread, then
     * delivers {@link SubscriberEvent.Stopped}, and returns. From a listener it only asks: the receiving thread
     * stops after the listener returns. Idempotent.
     */
    public void stop() {
        closeWatch();
        receiver.stop();
    }

    /** Asks to stop without waiting. */
    void requestStop() {
        closeWatch();
        receiver.requestStop();
    }

    private void closeWatch() {
        if (watch != null) {
            watch.close();
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "ZmqSubscriber[" + (watch == null ? "" : watch.name() + ", ") + addresses()
                + (isStopped() ? ", stopped" : "") + "]";
    }

    /**
     * Configures and starts {@link ZmqSubscriber}s. Needs at least one address or a service to discover. Not
     * thread-safe; may start several subscribers.
     *
     * @param <T> the message type
     */
    public static final class Builder<T> {
        private final Map<String, Topic<T>> topics = new LinkedHashMap<>();
        private final Set<ZmqAddress> addresses = new LinkedHashSet<>();
        private PeerDirectory registry;
        private String serviceName;
        private Duration waitForPublisher = Duration.ZERO;
        private Duration registryTimeout = Duration.ofSeconds(10);
        private int receiveHighWaterMark = 10_000;
        private final List<SubscriberListener<T>> listeners = new ArrayList<>();

        private Builder() {
        }

        private Builder(Builder<T> other) {
            topics.putAll(other.topics);
            addresses.addAll(other.addresses);
            registry = other.registry;
            serviceName = other.serviceName;
            waitForPublisher = other.waitForPublisher;
            registryTimeout = other.registryTimeout;
            receiveHighWaterMark = other.receiveHighWaterMark;
            listeners.addAll(other.listeners);
        }

        /**
         * Also receives {@code topic}. Names must differ.
         *
         * @param topic the topic
         * @return this builder
         */
        public Builder<T> topic(Topic<T> topic) {
            Objects.requireNonNull(topic, "topic");
            if (topics.putIfAbsent(topic.name(), topic) != null) {
                throw new InvalidArgumentException("topic '" + topic.name() + "' is already subscribed");
            }
            return this;
        }

        /**
         * Connects to a publisher at {@code tcp://host:port}.
         *
         * @param endpoint the member's endpoint URL
         * @return a {@code Builder} that connects to a publisher at {@code tcp://host:port}
         */
        public Builder<T> connect(String endpoint) {
            return connect(ZmqAddress.parse(endpoint));
        }

        /**
         * Connects to a publisher at {@code address}.
         *
         * @param address the address
         * @return this builder
         */
        public Builder<T> connect(ZmqAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isWildcardHost() || address.port() == 0) {
                throw new InvalidArgumentException("cannot connect to " + address
                        + ": give the publisher's host and port");
            }
            addresses.add(address);
            return this;
        }

        /**
         * Finds the publishers registered as {@code serviceName} in {@code registry} and follows them.
         *
         * @param registry the registry
         * @param serviceName the service name
         * @return this builder
         */
        public Builder<T> discover(ServiceRegistry registry, String serviceName) {
            return discover(PeerDirectory.registry(Objects.requireNonNull(registry, "registry")), serviceName);
        }

        /**
         * Finds the publishers registered as {@code serviceName} in {@code directory}, in its layout (see
         * {@link PeerDirectory}), and follows them.
         *
         * @param directory the directory
         * @param serviceName the service name
         * @return this builder
         */
        public Builder<T> discover(PeerDirectory directory, String serviceName) {
            this.registry = Objects.requireNonNull(directory, "directory");
            this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
            directory.location(serviceName); // validates the name now
            return this;
        }

        /**
         * With discovery, how long {@link #start()} waits for a first publisher to be registered before failing
         * with {@link UnknownServiceException} (default zero: one must be registered already).
         *
         * @param wait the wait
         * @return this builder
         */
        public Builder<T> waitForPublisher(Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.isNegative()) {
                throw new InvalidArgumentException("waitForPublisher must not be negative, got " + wait);
            }
            this.waitForPublisher = wait;
            return this;
        }

        /**
         * With discovery, how long {@link #start()} waits for the registry's first answer (default 10 s).
         *
         * @param timeout how long to wait at most
         * @return this builder
         */
        public Builder<T> registryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidArgumentException("registryTimeout must be positive, got " + timeout);
            }
            this.registryTimeout = timeout;
            return this;
        }

        /**
         * How many messages may wait unread before ZeroMQ stops reading from a publisher (default 10,000).
         *
         * @param messages the messages
         * @return this builder
         */
        public Builder<T> receiveHighWaterMark(int messages) {
            if (messages < 0) {
                throw new InvalidArgumentException("receiveHighWaterMark must be >= 0 (0 = unlimited), got "
                        + messages);
            }
            this.receiveHighWaterMark = messages;
            return this;
        }

        /**
         * Adds a listener of the events (see {@link SubscriberListener}); listeners are called in this order.
         *
         * @param listener the listener to call
         * @return this builder
         */
        public Builder<T> listener(SubscriberListener<T> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Opens the socket, connects the fixed addresses and, with discovery, waits for the registry's answer and
         * for a first publisher (see {@link #waitForPublisher}).
         *
         * @return the zmq subscriber
         * @throws UnknownServiceException when no publisher is registered under the name in time
         * @throws ZmqException when the sockets cannot be opened or the registry does not answer in time
         * @throws InvalidArgumentException when neither an address nor a service was given
         */
        public ZmqSubscriber<T> start() {
            if (addresses.isEmpty() && registry == null) {
                throw new InvalidArgumentException("a subscriber needs connect(address) or discover(registry, name)");
            }
            List<SubscriberListener<T>> targets = List.copyOf(listeners);
            SubscriberListener<T> fanOut = targets.size() == 1 ? targets.get(0) : event -> {
                for (SubscriberListener<T> l : targets) {
                    l.onEvent(event);
                }
            };
            Receiver<T> receiver = new Receiver<>(topics, receiveHighWaterMark, fanOut);
            for (ZmqAddress a : addresses) {
                receiver.post(() -> receiver.connectTo(a));
            }
            receiver.start();
            if (registry == null) {
                return new ZmqSubscriber<>(receiver, null);
            }
            PeerDirectory.PeerWatch watch = null;
            try {
                watch = registry.watch(serviceName);
                if (!watch.awaitReady(registryTimeout)) {
                    throw new ZmqException("the registry did not list '" + registry.location(serviceName)
                            + "' within " + registryTimeout.toMillis() + " ms; check that etcd is reachable");
                }
                PublisherFollower<T> follower = new PublisherFollower<>(receiver);
                watch.addListener(follower);
                if (!follower.firstFound().await(waitForPublisher.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new UnknownServiceException(serviceName, registry.location(serviceName), waitForPublisher);
                }
                return new ZmqSubscriber<>(receiver, watch);
            } catch (RuntimeException | InterruptedException e) {
                if (watch != null) {
                    watch.close();
                }
                receiver.stop();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new ZmqException("interrupted while waiting for publisher '" + serviceName + "'", e);
                }
                throw (RuntimeException) e;
            }
        }

        /**
         * A cold {@link Flow.Publisher} of the events: each {@code subscribe} starts a new subscriber with this
         * configuration (as {@link #start()} does, on the subscribing thread) that delivers to that
         * {@link Flow.Subscriber}; {@code cancel} stops it. A start failure is signalled with {@code onError}; a
         * stop ends with {@code onComplete} ({@link SubscriberEvent.Stopped} itself is not delivered). Demand is
         * honoured by pausing the receiving thread (see {@link SubscriberListener} on what that costs). Later
         * changes to this builder do not affect the publisher.
         *
         * @return a cold {@link Flow.Publisher} of the events: each {@code subscribe} starts a new subscriber with this configuration (as {@link #start()} does, on the subscribing thread) that delivers to that {@link Flow.Subscriber}; {@code cancel} stops it
         */
        public Flow.Publisher<SubscriberEvent<T>> toPublisher() {
            Builder<T> config = new Builder<>(this);
            return downstream -> {
                Objects.requireNonNull(downstream, "subscriber");
                FlowSubscription<T> subscription = new FlowSubscription<>(downstream);
                downstream.onSubscribe(subscription);
                ZmqSubscriber<T> started;
                try {
                    started = new Builder<>(config).listener(subscription).start();
                } catch (RuntimeException e) {
                    subscription.failStart(e);
                    return;
                }
                subscription.attach(started);
            };
        }
    }
}
