package io.etcdkit.zmq;

import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link PeerDirectory#registry}: etcdkit's service registry, one JSON entry per publisher instance. */
final class RegistryDirectory implements PeerDirectory {
    private final ServiceRegistry registry;

    RegistryDirectory(ServiceRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public PeerEntry register(String serviceName, ServiceInstance instance, Duration ttl) {
        return new Entry(registry.register(serviceName, instance, ttl));
    }

    @Override
    public List<ServiceInstance> lookup(String serviceName) {
        return registry.lookup(serviceName);
    }

    @Override
    public PeerWatch watch(String serviceName) {
        ServiceWatch watch = registry.watch(serviceName);
        return new PeerWatch() {
            @Override
            public boolean awaitReady(Duration timeout) throws InterruptedException {
                return watch.awaitReady(timeout);
            }

            @Override
            public void addListener(ServiceWatchListener listener) {
                watch.addListener(listener);
            }

            @Override
            public String name() {
                return watch.name();
            }

            @Override
            public void close() {
                watch.close();
            }
        };
    }

    @Override
    public String location(String serviceName) {
        return registry.prefix(serviceName);
    }

    @Override
    public String toString() {
        return "registry layout under '" + registry.root() + "'";
    }

    /** A registration of the registry. */
    record Entry(Registration registration) implements PeerEntry {
        @Override
        public String key() {
            return registration.key();
        }

        @Override
        public ServiceInstance instance() {
            return registration.instance();
        }

        @Override
        public void close() {
            registration.close();
        }
    }
}
