package io.etcdkit.zmq;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Put;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PeerDirectory#plain}: key = service name, value = the plain address, under a 30 s lease kept alive
 * (renewed every third of it, 10 s). The instance id of such an entry is the service name itself.
 */
final class PlainDirectory implements PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PlainDirectory.class);

    private final EtcdClient client;

    PlainDirectory(EtcdClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public PeerEntry register(String serviceName, ServiceInstance instance, Duration ttl) {
        String key = location(serviceName);
        KeepAlive lease = client.leases().grantAndKeepAlive(PLAIN_TTL);
        try {
            client.kv().put(Put.of(key, instance.address()).lease(lease.id()));
        } catch (RuntimeException e) {
            lease.revoke();
            throw e;
        }
        ServiceInstance registered = new ServiceInstance(serviceName, instance.address(), Map.of());
        return new PeerEntry() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public ServiceInstance instance() {
                return registered;
            }

            @Override
            public void close() {
                lease.revoke();
            }

            @Override
            public String toString() {
                return key + " = " + registered.address();
            }
        };
    }

    @Override
    public List<ServiceInstance> lookup(String serviceName) {
        return client.kv().get(location(serviceName)).map(kv -> List.of(instance(serviceName, kv))).orElse(List.of());
    }

    private static ServiceInstance instance(String serviceName, KeyValue kv) {
        return new ServiceInstance(serviceName, kv.valueAsString(), Map.of());
    }

    @Override
    public PeerWatch watch(String serviceName) {
        return new PlainWatch(serviceName);
    }

    @Override
    public String location(String serviceName) {
        if (serviceName == null || serviceName.isBlank() || !serviceName.strip().equals(serviceName)) {
            throw new InvalidArgumentException("a service name is the plain layout's key and must be non-empty "
                    + "without surrounding spaces, got \"" + serviceName + "\"");
        }
        return serviceName;
    }

    @Override
    public String toString() {
        return "plain layout (key = service name, value = address)";
    }

    /** Follows one key: the address registered under the service name. */
    private final class PlainWatch implements PeerWatch {
        private final String name;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final List<ServiceWatchListener> listeners = new CopyOnWriteArrayList<>();
        private final Watcher watcher;
        private ServiceInstance current; // guarded by this
        private boolean collecting = true; // the snapshot is being read: report at its end

        PlainWatch(String name) {
            this.name = name;
            String key = location(name);
            // a prefix subscription filtered to the one key: snapshot then watch, re-synced after compaction
            this.watcher = client.watches().subscribe(Subscribe.prefix(key), event -> onEvent(key, event));
        }

        private void onEvent(String key, WatchEvent event) {
            ServiceInstance before;
            ServiceInstance after;
            synchronized (this) {
                before = current;
                if (event instanceof PutEvent p && p.kv().keyAsString().equals(key)) {
                    current = instance(name, p.kv());
                } else if (event instanceof DeleteEvent d && d.keyAsString().equals(key)) {
                    current = null;
                } else if (event instanceof SnapshotRestartedEvent) {
                    current = null;
                    return;
                } else if (event instanceof SnapshotCompleteEvent || event instanceof ResyncedEvent) {
                    collecting = false;
                    ready.countDown();
                    return;
                } else {
                    return;
                }
                after = current;
                if (!collecting) { // while collecting, addListener replays the state once ready
                    report(before, after);
                }
            }
        }

        private void report(ServiceInstance before, ServiceInstance after) {
            for (ServiceWatchListener l : listeners) {
                try {
                    if (before == null && after != null) {
                        l.added(after);
                    } else if (before != null && after == null) {
                        l.removed(before);
                    } else if (before != null && !before.equals(after)) {
                        l.changed(before, after);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("a listener of '{}' failed", name, e);
                }
            }
        }

        @Override
        public boolean awaitReady(Duration timeout) throws InterruptedException {
            return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void addListener(ServiceWatchListener listener) {
            Objects.requireNonNull(listener, "listener");
            if (!collecting && current != null) {
                listener.added(current);
            }
            listeners.add(listener);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {
            watcher.close();
        }
    }
}
