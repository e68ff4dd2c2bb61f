package io.etcdkit.zmq;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Publishes typed messages on a bound ZeroMQ PUB socket, optionally registered by name in a
 * {@link ServiceRegistry} so that subscribers find it.
 *
 * <pre>{@code
 * Topic<Quote> quotes = Topic.of("quotes", JacksonCodecs.json(Quote.class));
 * try (ZmqPublisher pub = ZmqPublisher.builder().register(ServiceRegistry.of(client), "market-data").start()) {
 *     pub.send(quotes, new Quote("ACME", 1234));
 * }
 * }</pre>
 *
 * <p><b>Delivery</b> is ZeroMQ publish/subscribe: a message reaches the subscribers connected and subscribed when
 * it is sent; a subscriber that joins later misses what was sent before (the "slow joiner"), and when a
 * subscriber's queue is full ({@link Builder#sendHighWaterMark}) messages to it are dropped. Every message carries
 * this publisher's id and a per-topic sequence number, so subscribers report such losses as
 * {@link SubscriberEvent.Missed} events instead of losing silently.
 *
 * <p><b>Registration.</b> With {@link Builder#register}, the publisher's address is registered as a
 * {@link ServiceInstance} (address {@code tcp://host:port}, metadata {@code transport=zmq},
 * {@code framing=etcdkit-zmq/1}) under a lease kept alive in the background; if the lease is lost it is
 * re-registered. {@link #stop()} revokes the lease first, so subscribers stop finding the publisher at once.
 *
 * <p><b>Threads.</b> {@link #send} may be called from any thread (calls are serialized; it never blocks on the
 * network). Publishers and subscribers share one ZeroMQ context (an I/O thread and a reaper) that ends with the
 * last of them; {@link #stop()} closes this publisher's socket.
 */
public final class ZmqPublisher implements AutoCloseable {
    /** The {@code framing} metadata value that names the frame layout of this module. */
    public static final String FRAMING = "etcdkit-zmq/1";
    private static final Logger LOG = LoggerFactory.getLogger(ZmqPublisher.class);

    private final ZMQ.Socket socket;
    private final ZmqAddress address;
    private final long publisherId;
    private final ReentrantLock sending = new ReentrantLock();
    private final Map<String, long[]> sequences = new HashMap<>(); // guarded by sending
    private volatile PeerDirectory.PeerEntry registration;
    private volatile boolean stopped;

    private ZmqPublisher(ZMQ.Socket socket, ZmqAddress address, long publisherId) {
        this.socket = socket;
        this.address = address;
        this.publisherId = publisherId;
    }

    /**
     * A builder; by default the publisher binds {@code tcp://127.0.0.1:0} (a free loopback port).
     *
     * @return a builder; by default the publisher binds {@code tcp://127.0.0.1:0} (a free loopback port)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code value} on {@code topic} to the subscribers connected now. Returns once the message is queued
     * for them; never waits for the network.
     *
     * @param <T> the type of the values
     * @param topic the topic
     * @param value the value
     * @return the message's sequence number on the topic (1 for the first)
     * @throws io.etcdkit.InvalidArgumentException when the topic's codec cannot encode the value (nothing is sent)
     * @throws IllegalStateException when the publisher is stopped
     */
    public <T> long send(Topic<T> topic, T value) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        byte[] payload = topic.codec().encode(value).toByteArray();
        byte[] name = topic.nameBytes();
        sending.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("publisher " + address + " is stopped; start a new one to send");
            }
            long sequence = ++sequences.computeIfAbsent(topic.name(), t -> new long[1])[0];
            socket.sendMore(name);
            socket.sendMore(Frames.header(publisherId, sequence));
            socket.send(payload);
            return sequence;
        } finally {
            sending.unlock();
        }
    }

    /**
     * The address the publisher is bound to, with the port it got (never port 0).
     *
     * @return the address the publisher is bound to, with the port it got (never port 0)
     */
    public ZmqAddress address() {
        return address;
    }

    /**
     * The id carried in every message's header, chosen at random when the publisher started.
     *
     * @return the id carried in every message's header, chosen at random when the publisher started
     */
    public long publisherId() {
        return publisherId;
    }

    /**
     * The registration in the service registry, when the publisher registered itself in etcdkit's registry layout
     * ({@link Builder#register(ServiceRegistry, String)}); empty otherwise (see {@link #registered()}).
     *
     * @return the registration in the service registry, when the publisher registered itself in etcdkit's registry layout ({@link Builder#register(ServiceRegistry, String)}); empty otherwise (see {@link #registered()})
     */
    public Optional<Registration> registration() {
        return registration instanceof RegistryDirectory.Entry e ? Optional.of(e.registration()) : Optional.empty();
    }

    /**
     * The entry in the peer directory, in either layout, when the publisher registered itself.
     *
     * @return the entry in the peer directory, in either layout, when the publisher registered itself
     */
    public Optional<PeerDirectory.PeerEntry> registered() {
        return Optional.ofNullable(registration);
    }

    /**
     * Whether {@link #stop()} was called.
     *
     * @return whether {@link #stop()} was called
     */
    public boolean isStopped() {
        return stopped;
    }

    /**
     * Stops: revokes the registration (the entry vanishes from the registry at once; if etcd cannot be reached it
     * expires within its TTL), then closes the socket, dropping messages not yet written to the network, and gives
     * up its use of the shared ZeroMQ context (the last user's stop ends its threads). Idempotent; sends after it
     * fail.
     */
    public void stop() {
        sending.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
        } finally {
            sending.unlock();
        }
        PeerDirectory.PeerEntry r = registration;
        if (r != null) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.warn("could not revoke the registration of {}; it expires within its TTL: {}", address,
                        e.toString());
            }
        }
        socket.close();
        ZmqContexts.release();
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        PeerDirectory.PeerEntry r = registration;
        return "ZmqPublisher[" + address + (r == null ? "" : ", " + r.key()) + (stopped ? ", stopped" : "") + "]";
    }

    /** Configures and starts a {@link ZmqPublisher}. Not thread-safe; {@link #start()} may be called once per build. */
    public static final class Builder {
        private ZmqAddress bind = ZmqAddress.tcp("127.0.0.1", 0);
        private String advertisedHost;
        private PeerDirectory registry;
        private String serviceName;
        private String instanceId;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Duration ttl = ServiceRegistry.DEFAULT_TTL;
        private int sendHighWaterMark = 10_000;

        private Builder() {
        }

        /**
         * Where to bind: {@code tcp://host:port}; port 0 or {@code *} picks a free port.
         *
         * @param endpoint the member's endpoint URL
         * @return a {@code Builder} that where to bind: {@code tcp://host:port}; port 0 or {@code *} picks a free port
         */
        public Builder bind(String endpoint) {
            return bind(ZmqAddress.parse(endpoint));
        }

        /**
         * Where to bind; port 0 picks a free port.
         *
         * @param address the address
         * @return this builder
         */
        public Builder bind(ZmqAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The host to register when binding every interface ({@code *} or {@code 0.0.0.0}); by default the local
         * host's address. Ignored otherwise, the bound host being registered as it is.
         *
         * @param host the host
         * @return this builder
         */
        public Builder advertisedHost(String host) {
            this.advertisedHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Registers the publisher as an instance of service {@code serviceName} in {@code registry}.
         *
         * @param registry the registry
         * @param serviceName the service name
         * @return this builder
         */
        public Builder register(ServiceRegistry registry, String serviceName) {
            return register(PeerDirectory.registry(Objects.requireNonNull(registry, "registry")), serviceName);
        }

        /**
         * Registers the publisher as {@code serviceName} in {@code directory}, in its layout (see
         * {@link PeerDirectory}); for the plain layout: key {@code serviceName}, value the address.
         *
         * @param directory the directory
         * @param serviceName the service name
         * @return this builder
         */
        public Builder register(PeerDirectory directory, String serviceName) {
            this.registry = Objects.requireNonNull(directory, "directory");
            this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
            directory.location(serviceName); // validates the name now
            return this;
        }

        /**
         * The registered instance id; by default a random UUID. Non-empty, without {@code /}.
         *
         * @param id the instance id
         * @return this builder
         */
        public Builder instanceId(String id) {
            this.instanceId = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Extra registered metadata; {@code transport} and {@code framing} are always set by the publisher.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The TTL of the registration's lease (default {@link ServiceRegistry#DEFAULT_TTL}).
         *
         * @param ttl the time to live
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How many messages may queue per subscriber before further ones to it are dropped (default 10,000).
         *
         * @param messages the messages
         * @return this builder
         */
        public Builder sendHighWaterMark(int messages) {
            if (messages < 0) {
                throw new InvalidArgumentException("sendHighWaterMark must be >= 0 (0 = unlimited), got " + messages);
            }
            this.sendHighWaterMark = messages;
            return this;
        }

        /**
         * Binds the socket and, when asked, registers the publisher (returning once the entry is in etcd).
         *
         * @return the zmq publisher
         * @throws AddressInUseException when the address is taken
         * @throws ZmqException when the address cannot be bound for another reason
         * @throws io.etcdkit.EtcdException when the registration fails (the socket is closed again)
         */
        public ZmqPublisher start() {
            if (registry != null && bind.isWildcardHost() && advertisedHost == null) {
                advertisedHost = localHost();
            }
            ZMQ.Context ctx = ZmqContexts.acquire();
            ZMQ.Socket socket = null;
            try {
                socket = ctx.socket(SocketType.PUB);
                ZmqContexts.configure(socket);
                socket.setSndHWM(sendHighWaterMark);
                bindSocket(socket, bind);
                ZmqAddress bound = ZmqAddress.parse(socket.getLastEndpoint());
                ZmqPublisher pub = new ZmqPublisher(socket, bound,
                        ThreadLocalRandom.current().nextLong());
                if (registry != null) {
                    pub.registration = registry.register(serviceName, instance(bound), ttl);
                }
                LOG.debug("publisher bound {}", pub);
                return pub;
            } catch (RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                ZmqContexts.release();
                throw e;
            }
        }

        private ServiceInstance instance(ZmqAddress bound) {
            ZmqAddress advertised = bound.isWildcardHost() ? ZmqAddress.tcp(advertisedHost, bound.port()) : bound;
            Map<String, String> meta = new LinkedHashMap<>(metadata);
            meta.put("transport", "zmq");
            meta.put("framing", FRAMING);
            String id = instanceId != null ? instanceId : UUID.randomUUID().toString();
            return new ServiceInstance(id, advertised.endpoint(), meta);
        }

        private static void bindSocket(ZMQ.Socket socket, ZmqAddress address) {
            try {
                socket.bind(address.bindEndpoint());
            } catch (ZMQException e) {
                if (e.getErrorCode() == ZMQ.Error.EADDRINUSE.getCode()) {
                    throw new AddressInUseException(address, e);
                }
                throw new ZmqException("cannot bind " + address + ": " + e.getMessage()
                        + "; check that the host is an address of this machine", e);
            }
        }

        private static String localHost() {
            try {
                return InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                throw new ZmqException("cannot tell this host's address to register a wildcard bind; set "
                        + "advertisedHost(..)", e);
            }
        }
    }
}
