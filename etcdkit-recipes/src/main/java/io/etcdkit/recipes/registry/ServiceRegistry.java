package io.etcdkit.recipes.registry;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.kv.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers service instances and finds them. Each instance is stored as JSON at
 * {@code <root><name>/<id>} under the lease of a {@link io.etcdkit.recipes.session.Session} owned by its
 * {@link Registration}, so the entry disappears at once when the registration is closed and within the TTL when
 * the registering process dies.
 *
 * <pre>{@code
 * ServiceRegistry registry = ServiceRegistry.of(client);
 * try (Registration r = registry.register("orders", ServiceInstance.of("orders-1", "10.0.0.7:8080"))) {
 *     ...
 * }
 * try (ServiceWatch w = registry.watch("orders")) {
 *     InstanceProvider p = InstanceProvider.roundRobin(w);
 *     p.next().ifPresent(i -> call(i.address()));
 * }
 * }</pre>
 *
 * <p>Service names must be non-empty and contain no {@code /}. Thread-safe; holds no resources of its own.
 */
public final class ServiceRegistry {
    /** The root prefix used by {@link #of(EtcdClient)}. */
    public static final String DEFAULT_ROOT = "services/";
    /** The session TTL used by {@link #register(String, ServiceInstance)}. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);
    static final ValueCodec<ServiceInstance> CODEC = InstanceJson.CODEC;

    private static final int PAGE = 1000;

    private final EtcdClient client;
    private final String root;

    private ServiceRegistry(EtcdClient client, String root) {
        this.client = client;
        this.root = root;
    }

    /**
     * A registry under {@code rootPrefix}. A non-empty prefix that does not end in {@code /} gets one appended,
     * so {@code "svc"} and {@code "svc/"} are the same registry.
     *
     * @param client the client to use
     * @param rootPrefix the root prefix
     * @return a registry under {@code rootPrefix}
     */
    public static ServiceRegistry of(EtcdClient client, String rootPrefix) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rootPrefix, "rootPrefix");
        String root = rootPrefix.isEmpty() || rootPrefix.endsWith("/") ? rootPrefix : rootPrefix + "/";
        return new ServiceRegistry(client, root);
    }

    /**
     * A registry under {@link #DEFAULT_ROOT}.
     *
     * @param client the client to use
     * @return a registry under {@link #DEFAULT_ROOT}
     */
    public static ServiceRegistry of(EtcdClient client) {
        return of(client, DEFAULT_ROOT);
    }

    /**
     * The root prefix (ending in {@code /} unless empty).
     *
     * @return the root prefix (ending in {@code /} unless empty)
     */
    public String root() {
        return root;
    }

    /**
     * The client.
     *
     * @return the client
     */
    public EtcdClient client() {
        return client;
    }

    /**
     * Registers {@code instance} as a member of service {@code name} with a {@link #DEFAULT_TTL 10-second}
     * session. See {@link #register(String, ServiceInstance, Duration)}.
     *
     * @param name the name
     * @param instance the instance
     * @return the registration
     */
    public Registration register(String name, ServiceInstance instance) {
        return register(name, instance, DEFAULT_TTL);
    }

    /**
     * Registers {@code instance} as a member of service {@code name}: opens a session of {@code ttl} (blocking
     * until its lease is granted), writes the entry under its lease and returns once the entry is in etcd. An
     * existing entry with the same id is overwritten (and then belongs to this registration's lease). If the
     * write fails the session is closed and the failure thrown ({@link io.etcdkit.EtcdException} subclasses).
     * The caller owns the returned registration and must close it.
     *
     * @param name the name
     * @param instance the instance
     * @param ttl the time to live
     * @return the registration
     */
    public Registration register(String name, ServiceInstance instance, Duration ttl) {
        checkName(name);
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidArgumentException("a registration TTL must be positive, got " + ttl);
        }
        return Registration.start(this, name, instance, ttl);
    }

    /**
     * Async twin of {@link #register(String, ServiceInstance)} (a {@link #DEFAULT_TTL 10-second} session).
     *
     * @param name the name
     * @param instance the instance
     * @return a future completed with the registration once the entry is in etcd
     */
    public CompletableFuture<Registration> registerAsync(String name, ServiceInstance instance) {
        return registerAsync(name, instance, DEFAULT_TTL);
    }

    /**
     * Async twin of {@link #register(String, ServiceInstance, Duration)}: opens the session and writes the entry
     * without blocking a thread. The future completes on the client's callback executor once the entry is in
     * etcd; if the write fails the session is closed and the future fails with the write's typed
     * {@link io.etcdkit.EtcdException}. The caller owns the registration and must close it.
     *
     * @param name the name
     * @param instance the instance
     * @param ttl the time to live
     * @return a future completed with the registration
     * @throws InvalidArgumentException when the name or TTL is invalid (thrown at once, nothing started)
     */
    public CompletableFuture<Registration> registerAsync(String name, ServiceInstance instance, Duration ttl) {
        checkName(name);
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidArgumentException("a registration TTL must be positive, got " + ttl);
        }
        return Registration.startAsync(this, name, instance, ttl);
    }

    /**
     * Async twin of {@link #lookup(String)}: the same paged read at one revision, without blocking a thread;
     * completes on the client's callback executor.
     *
     * @param name the name
     * @return a future completed with the instances of service {@code name}, in id order
     */
    public CompletableFuture<List<ServiceInstance>> lookupAsync(String name) {
        return lookupAsync(name, CODEC);
    }

    /**
     * Async twin of {@link #lookup(String, ValueCodec)}: the same paged read at one revision and the same
     * payload rule, without blocking a thread; completes on the client's callback executor.
     *
     * @param name the name
     * @param payloadCodec the codec the instances' payloads were registered with
     * @return a future completed with the instances, in id order, whose payload (if any) {@code payloadCodec} reads
     */
    public CompletableFuture<List<ServiceInstance>> lookupAsync(String name, ValueCodec<?> payloadCodec) {
        checkName(name);
        ValueCodec<ServiceInstance> codec = withPayload(payloadCodec);
        List<ServiceInstance> out = new ArrayList<>();
        return readPages(Range.prefix(prefix(name)).limit(PAGE), 0, codec, out).thenApply(done -> List.copyOf(out));
    }

    /** Reads {@code range} and the pages after it, all at the first page's revision, decoding into {@code out}. */
    private CompletableFuture<Void> readPages(Range range, long revision, ValueCodec<ServiceInstance> codec,
            List<ServiceInstance> out) {
        return client.kv().rangeAsync(revision > 0 ? range.atRevision(revision) : range).thenCompose(page -> {
            for (KeyValue kv : page.kvs()) {
                decode(kv, codec).ifPresent(out::add);
            }
            if (!page.more() || page.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Bytes last = page.kvs().get(page.kvs().size() - 1).key();
            return readPages(range.startingAt(last.concat(Bytes.of(new byte[] {0}))),
                    revision > 0 ? revision : page.revision(), codec, out);
        });
    }

    /**
     * The instances of service {@code name} now, in id order, read in one linearizable (paged) read at one
     * revision. Entries whose value is not a valid instance are skipped and logged.
     *
     * @param name the name
     * @return the instances of service {@code name} now, in id order, read in one linearizable (paged) read at one revision
     */
    public List<ServiceInstance> lookup(String name) {
        return lookup(name, CODEC);
    }

    /**
     * As {@link #lookup(String)}, keeping only instances whose payload {@code payloadCodec} can read: an
     * instance with a payload it cannot decode (registered with another codec or another payload type) is
     * skipped and logged at WARN with its key and the decoding error; an instance without payload is kept
     * ({@link ServiceInstance#payload(ValueCodec)} is then empty). Read the payloads with
     * {@link ServiceInstance#payload(ValueCodec) instance.payload(payloadCodec)}.
     *
     * @param name the name
     * @param payloadCodec the codec the instances' payloads were registered with
     * @return the instances now, in id order, whose payload (if any) {@code payloadCodec} reads
     */
    public List<ServiceInstance> lookup(String name, ValueCodec<?> payloadCodec) {
        checkName(name);
        ValueCodec<ServiceInstance> codec = withPayload(payloadCodec);
        String prefix = prefix(name);
        List<ServiceInstance> out = new ArrayList<>();
        for (KeyValue kv : client.kv().list(prefix)) {
            decode(kv, codec).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * Starts following service {@code name}: a snapshot-then-watch subscription on {@code <root><name>/} that
     * keeps a cached instance list. The caller owns the watch and must close it.
     *
     * @param name the name
     * @return the service watch
     */
    public ServiceWatch watch(String name) {
        checkName(name);
        return new ServiceWatch(name).start(client, prefix(name), CODEC);
    }

    /**
     * As {@link #watch(String)}, keeping only instances whose payload {@code payloadCodec} can read: an instance
     * with a payload it cannot decode is treated as absent, logged at WARN and reported to the watch's listeners
     * ({@link ServiceWatchListener#skipped}); an instance without payload is kept. So every instance of the
     * watch (and of an {@link InstanceProvider} over it) answers
     * {@link ServiceInstance#payload(ValueCodec) instance.payload(payloadCodec)} without failing.
     *
     * @param name the name
     * @param payloadCodec the codec the instances' payloads were registered with
     * @return the service watch
     */
    public ServiceWatch watch(String name, ValueCodec<?> payloadCodec) {
        checkName(name);
        return new ServiceWatch(name).start(client, prefix(name), withPayload(payloadCodec));
    }

    /**
     * The key prefix of service {@code name}: {@code <root><name>/}.
     *
     * @param name the name
     * @return the key prefix of service {@code name}: {@code <root><name>/}
     */
    public String prefix(String name) {
        checkName(name);
        return root + name + "/";
    }

    String key(String name, String id) {
        return root + name + "/" + id;
    }

    /** The instance codec that also checks that {@code payloadCodec} reads the payload, if there is one. */
    private static ValueCodec<ServiceInstance> withPayload(ValueCodec<?> payloadCodec) {
        Objects.requireNonNull(payloadCodec, "payloadCodec");
        if (payloadCodec == CODEC) {
            return CODEC;
        }
        return new ValueCodec<>() {
            @Override
            public Bytes encode(ServiceInstance instance) {
                return CODEC.encode(instance);
            }

            @Override
            public ServiceInstance decode(Bytes bytes) {
                ServiceInstance instance = CODEC.decode(bytes);
                instance.payload(payloadCodec);
                return instance;
            }

            @Override
            public String toString() {
                return CODEC + "+payload:" + payloadCodec;
            }
        };
    }

    static Optional<ServiceInstance> decode(KeyValue kv) {
        return decode(kv, CODEC);
    }

    static Optional<ServiceInstance> decode(KeyValue kv, ValueCodec<ServiceInstance> codec) {
        try {
            return Optional.of(codec.decode(kv.value()));
        } catch (RuntimeException e) {
            LOG.warn("ignoring malformed service entry {}: {}", kv.keyAsString(), e.toString());
            return Optional.empty();
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new InvalidArgumentException("a service name must be non-empty and contain no '/', got " + name);
        }
    }

    @Override
    public String toString() {
        return "ServiceRegistry[" + root + "]";
    }
}
