package io.etcdkit.zmq;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Where ZeroMQ publishers register their address and subscribers find it, in etcd. Two layouts:
 * <ul>
 *   <li>{@link #registry(ServiceRegistry)}: etcdkit's service registry, one JSON entry per publisher instance
 *       ({@code <root><name>/<id>}: id, address, metadata), so several publishers can serve one name;</li>
 *   <li>{@link #plain(EtcdClient)}: the layout of the ZeroMQ system's other implementations, key = the service
 *       name, value = the plain address ({@code tcp://host:port}) under a 30 s lease renewed every 10 s, so
 *       {@code etcdctl get quotes} prints the address. One publisher per name: the last one registered wins.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface PeerDirectory {
    /** The lease TTL of the plain layout. */
    Duration PLAIN_TTL = Duration.ofSeconds(30);

    /**
     * etcdkit's registry layout (JSON per instance).
     *
     * @param registry the registry
     * @return the directory
     */
    static PeerDirectory registry(ServiceRegistry registry) {
        return new RegistryDirectory(registry);
    }

    /**
     * The plain name → address layout.
     *
     * @param client the client (a namespaced view places the names under its namespace)
     * @return the directory
     */
    static PeerDirectory plain(EtcdClient client) {
        return new PlainDirectory(client);
    }

    /**
     * Registers {@code instance} as a publisher of {@code serviceName} under a lease kept alive until the returned
     * entry is closed.
     *
     * @param serviceName the service name
     * @param instance the publisher (its address is what subscribers connect to)
     * @param ttl the lease TTL (the plain layout always uses {@link #PLAIN_TTL})
     * @return the registered entry; closing it revokes the lease
     * @throws io.etcdkit.EtcdException when etcd refuses or cannot be reached
     */
    PeerEntry register(String serviceName, ServiceInstance instance, Duration ttl);

    /**
     * The publishers registered under {@code serviceName} now (linearizable read).
     *
     * @param serviceName the service name
     * @return the instances, empty when none
     */
    List<ServiceInstance> lookup(String serviceName);

    /**
     * Follows the publishers of {@code serviceName}. The caller owns the watch and must close it.
     *
     * @param serviceName the service name
     * @return the watch
     */
    PeerWatch watch(String serviceName);

    /**
     * Where the entries of {@code serviceName} live in etcd, for messages; checks the name.
     *
     * @param serviceName the service name
     * @return the key or prefix
     * @throws io.etcdkit.InvalidArgumentException when the name is not valid for this layout
     */
    String location(String serviceName);

    /** A registered publisher; closing it revokes its lease, so the entry vanishes at once. */
    interface PeerEntry extends AutoCloseable {
        /**
         * The key of the entry.
         *
         * @return the key
         */
        String key();

        /**
         * The instance registered.
         *
         * @return the instance
         */
        ServiceInstance instance();

        /** Revokes the lease; idempotent. */
        @Override
        void close();
    }

    /** Follows the publishers of one service; see {@link PeerDirectory#watch}. */
    interface PeerWatch extends AutoCloseable {
        /**
         * Waits for the first complete answer of etcd.
         *
         * @param timeout the longest wait
         * @return true when ready in time
         * @throws InterruptedException when interrupted
         */
        boolean awaitReady(Duration timeout) throws InterruptedException;

        /**
         * Adds a listener; the publishers known now are reported to it as added first.
         *
         * @param listener the listener
         */
        void addListener(io.etcdkit.recipes.registry.ServiceWatchListener listener);

        /**
         * The service name.
         *
         * @return the name
         */
        String name();

        /** Stops following; idempotent. */
        @Override
        void close();
    }
}
