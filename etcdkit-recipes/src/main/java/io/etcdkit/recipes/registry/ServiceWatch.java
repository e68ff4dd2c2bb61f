package io.etcdkit.recipes.registry;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cached, watch-fed list of the instances of one service (from {@link ServiceRegistry#watch}), kept by a
 * snapshot-then-watch subscription on {@code <root><name>/}: nothing missed or doubled between the initial read
 * and the live changes.
 *
 * <p><b>Reads.</b> {@link #instances()} is lock-free and returns an immutable list in id order. It is empty until
 * the first snapshot is complete ({@link #ready()}). While the connection is down the last known list is served;
 * after a re-sync (compaction) it is exact again.
 *
 * <p><b>Listeners</b> hear {@link ServiceWatchListener#added added}, {@link ServiceWatchListener#removed removed}
 * and {@link ServiceWatchListener#changed changed} for real changes only, in revision order: nothing before the
 * first snapshot is complete (its instances are then reported as added), and the difference of a re-sync only at
 * its end. A value that is not a valid instance is logged and treated as absent.
 *
 * <p>Thread-safe. {@link #close()} stops the subscription (idempotent); the list then stays as it was.
 */
public final class ServiceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);

    private final String name;
    private final CopyOnWriteArrayList<ServiceWatchListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    // Touched only under the monitor (the subscription delivers one event at a time; addListener replays).
    private final TreeMap<Bytes, ServiceInstance> working = new TreeMap<>();
    private TreeMap<Bytes, ServiceInstance> published = new TreeMap<>();
    private boolean synced;
    private boolean resyncing;
    private volatile List<ServiceInstance> instances = List.of();
    private volatile boolean ended;
    private final Watcher subscription;

    ServiceWatch(EtcdClient client, String name, Bytes prefix) {
        this.name = name;
        this.subscription = client.watches().subscribe(Subscribe.prefix(prefix), this::onEvent);
    }

    private synchronized void onEvent(WatchEvent event) {
        if (event instanceof PutEvent p) {
            KeyValue kv = p.kv();
            Optional<ServiceInstance> decoded = ServiceRegistry.decode(kv);
            if (decoded.isPresent()) {
                working.put(kv.key(), decoded.get());
            } else {
                working.remove(kv.key());
            }
        } else if (event instanceof DeleteEvent d) {
            working.remove(d.key());
        } else if (event instanceof ResyncStartedEvent) {
            resyncing = true;
            return;
        } else if (event instanceof SnapshotCompleteEvent || event instanceof ResyncedEvent) {
            synced = true;
            resyncing = false;
        } else if (event instanceof CompactedEvent || event instanceof EndedEvent) {
            ended = true;
            LOG.warn("service watch of {} ended: {}", name, event);
            return;
        } else {
            return; // disconnect/resume/progress: keep serving the last known list
        }
        if (synced && !resyncing) {
            publish();
        }
    }

    /** Makes the working map visible and reports the difference to the last published one. */
    private void publish() {
        TreeMap<Bytes, ServiceInstance> before = published;
        TreeMap<Bytes, ServiceInstance> after = new TreeMap<>(working);
        published = after;
        instances = List.copyOf(after.values());
        for (Map.Entry<Bytes, ServiceInstance> e : before.entrySet()) {
            ServiceInstance now = after.get(e.getKey());
            if (now == null) {
                fire(l -> l.removed(e.getValue()));
            } else if (!now.equals(e.getValue())) {
                fire(l -> l.changed(e.getValue(), now));
            }
        }
        for (Map.Entry<Bytes, ServiceInstance> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                fire(l -> l.added(e.getValue()));
            }
        }
        ready.complete(null);
    }

    private void fire(java.util.function.Consumer<ServiceWatchListener> call) {
        for (ServiceWatchListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("service watch listener failed", e);
            }
        }
    }

    /** The service name. */
    public String name() {
        return name;
    }

    /** The instances as last observed, in id order; empty before the first snapshot. Lock-free, immutable. */
    public List<ServiceInstance> instances() {
        return instances;
    }

    /** The instance with {@code id} as last observed. Lock-free. */
    public Optional<ServiceInstance> instance(String id) {
        for (ServiceInstance i : instances) {
            if (i.id().equals(id)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Completes when the first snapshot has been applied to {@link #instances()}. */
    public CompletableFuture<Void> ready() {
        return ready.copy();
    }

    /** Waits up to {@code timeout} for the first snapshot; true when it is applied. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        try {
            ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Registers a listener. If the first snapshot is complete, the current instances are replayed to it as
     * {@code added} first, on the calling thread; no change is missed or doubled between the replay and the live
     * reports.
     */
    public synchronized void addListener(ServiceWatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (synced) {
            for (ServiceInstance i : new ArrayList<>(published.values())) {
                try {
                    listener.added(i);
                } catch (RuntimeException e) {
                    LOG.warn("service watch listener failed", e);
                }
            }
        }
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(ServiceWatchListener listener) {
        listeners.remove(listener);
    }

    /** Whether the subscription has ended (closed, or ended by the client or server). */
    public boolean isClosed() {
        return ended || subscription.isClosed();
    }

    /** Stops following the service; idempotent. */
    @Override
    public void close() {
        subscription.close();
    }

    @Override
    public String toString() {
        return "ServiceWatch[" + name + ", " + instances.size() + " instances]";
    }
}
