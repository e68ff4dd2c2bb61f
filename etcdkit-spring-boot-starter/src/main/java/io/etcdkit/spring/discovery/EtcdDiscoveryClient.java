package io.etcdkit.spring.discovery;

import io.etcdkit.Bytes;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's {@link DiscoveryClient} on etcdkit's registry. The first lookup of a service opens a
 * watch-fed {@link ServiceWatch} (waiting up to the lookup timeout for its first snapshot); later lookups read its
 * list without a round trip, and it follows registrations and removals as etcd reports them. An instance's
 * address {@code host:port} gives host and port; metadata {@code secure=true} marks https. Thread-safe; closing
 * it closes the watches.
 */
public class EtcdDiscoveryClient implements DiscoveryClient, AutoCloseable {
    private final ServiceRegistry registry;
    private final Duration lookupTimeout;
    private final Map<String, ServiceWatch> watches = new ConcurrentHashMap<>();

    /**
     * Creates a client.
     *
     * @param registry etcdkit's registry
     * @param lookupTimeout how long a first lookup of a service may wait for its watch
     */
    public EtcdDiscoveryClient(ServiceRegistry registry, Duration lookupTimeout) {
        this.registry = registry;
        this.lookupTimeout = lookupTimeout;
    }

    @Override
    public String description() {
        return "etcd DiscoveryClient (" + registry + ")";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        ServiceWatch watch = watches.computeIfAbsent(serviceId, registry::watch);
        try {
            if (!watch.awaitReady(lookupTimeout)) {
                return registry.lookup(serviceId).stream().map(i -> toSpring(serviceId, i)).toList();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        return watch.instances().stream().map(i -> toSpring(serviceId, i)).toList();
    }

    @Override
    public List<String> getServices() {
        Set<String> names = new TreeSet<>();
        String root = registry.root();
        for (Bytes key : registry.client().kv().listKeys(root)) {
            String rest = key.toStringUtf8().substring(root.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                names.add(rest.substring(0, slash));
            }
        }
        return List.copyOf(names);
    }

    @Override
    public void close() {
        watches.values().forEach(ServiceWatch::close);
        watches.clear();
    }

    private static ServiceInstance toSpring(String serviceId, io.etcdkit.recipes.registry.ServiceInstance instance) {
        String address = instance.address();
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        int port = 0;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 0;
            }
        }
        boolean secure = Boolean.parseBoolean(instance.metadata().get(EtcdServiceRegistry.SECURE));
        return new DefaultServiceInstance(instance.id(), serviceId, host, port, secure, instance.metadata());
    }
}
