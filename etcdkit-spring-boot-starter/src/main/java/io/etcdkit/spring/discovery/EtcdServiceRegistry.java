package io.etcdkit.spring.discovery;

import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spring Cloud's {@link org.springframework.cloud.client.serviceregistry.ServiceRegistry} on etcdkit's registry:
 * each registration is an instance entry under its own lease, renewed in the background, re-written after a lease
 * loss, deleted at once by {@link #deregister} or {@link #close}, and by etcd within the TTL when the process
 * dies. The entry's address is {@code host:port}; the metadata also holds {@code secure} and, once set,
 * {@code status}. Thread-safe.
 */
public class EtcdServiceRegistry
        implements org.springframework.cloud.client.serviceregistry.ServiceRegistry<EtcdServiceRegistration> {
    /** The metadata key of the status set with {@link #setStatus}. */
    public static final String STATUS = "status";
    /** The metadata key telling whether the instance is called over https. */
    public static final String SECURE = "secure";

    private final ServiceRegistry registry;
    private final Duration ttl;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();

    /**
     * Creates a registry.
     *
     * @param registry etcdkit's registry
     * @param ttl the lease time-to-live of registrations
     */
    public EtcdServiceRegistry(ServiceRegistry registry, Duration ttl) {
        this.registry = registry;
        this.ttl = ttl;
    }

    @Override
    public void register(EtcdServiceRegistration registration) {
        Registration done = registry.register(registration.getServiceId(), instanceOf(registration, null), ttl);
        Registration previous = registrations.put(registration.getInstanceId(), done);
        if (previous != null && previous != done) {
            previous.close();
        }
    }

    @Override
    public void deregister(EtcdServiceRegistration registration) {
        Registration done = registrations.remove(registration.getInstanceId());
        if (done != null) {
            done.close();
        }
    }

    @Override
    public void close() {
        registrations.values().forEach(Registration::close);
        registrations.clear();
    }

    @Override
    public void setStatus(EtcdServiceRegistration registration, String status) {
        Registration done = registrations.get(registration.getInstanceId());
        if (done == null) {
            throw new IllegalStateException(registration + " is not registered: register it before setting a status");
        }
        done.update(instanceOf(registration, status));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(EtcdServiceRegistration registration) {
        Registration done = registrations.get(registration.getInstanceId());
        if (done == null) {
            return null;
        }
        String status = done.instance().metadata().get(STATUS);
        return (T) (status != null ? status : done.state().name());
    }

    private static ServiceInstance instanceOf(EtcdServiceRegistration registration, String status) {
        Map<String, String> metadata = new LinkedHashMap<>(registration.getMetadata());
        metadata.put(SECURE, Boolean.toString(registration.isSecure()));
        if (status != null) {
            metadata.put(STATUS, status);
        }
        return new ServiceInstance(registration.getInstanceId(), registration.getHost() + ":" + registration.getPort(),
                metadata);
    }
}
