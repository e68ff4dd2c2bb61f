package io.etcdkit.recipes.registry;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.cache.CacheListener;
import io.etcdkit.recipes.cache.CacheSnapshot;
import io.etcdkit.recipes.cache.CachedEntry;
import io.etcdkit.recipes.cache.CachedView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cached, watch-fed list of the instances of one service (from {@link ServiceRegistry#watch}), kept by a
 * {@link CachedView} of {@code <root><name>/}: a snapshot-then-watch subscription, so nothing is missed or doubled
 * between the initial read and the live changes.
 *
 * <p><b>Reads.</b> {@link #instances()} is lock-free and returns an immutable list in id order. It is empty until
 * the first snapshot is complete ({@link #ready()}). It changes once per etcd revision, with every change of that
 * revision: instances registered or removed together in one transaction appear or vanish together, never half.
 * While the connection is down the last known list is served; after a re-sync (compaction) it is exact again.
 *
 * <p><b>Listeners</b> hear {@link ServiceWatchListener#added added}, {@link ServiceWatchListener#removed removed}
 * and {@link ServiceWatchListener#changed changed} for real changes only, in revision order, each after
 * {@link #instances()} already shows the whole revision: nothing before the first snapshot is complete (its
 * instances are then reported as added), and the difference of a re-sync only at its end. A value that is not a
 * valid instance (or, for {@link ServiceRegistry#watch(String, io.etcdkit.codec.ValueCodec)}, whose payload the
 * codec cannot read) is logged at WARN, treated as absent and reported to {@link ServiceWatchListener#skipped}.
 *
 * <p><b>Observing.</b> The client's listener ({@link EtcdClient#listener()}) hears
 * {@code registryChanged(name, count)} when the first snapshot is applied and whenever the instance list changes
 * (an instance added, removed or changed), with the number of instances now.
 *
 * <p>Thread-safe. {@link #close()} stops the subscription (idempotent); the list then stays as it was.
 */
public final class ServiceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWatch.class);

    private final String name;
    private volatile EtcdListener events = EtcdListener.NONE; // the client's, set by start()
    private final CopyOnWriteArrayList<ServiceWatchListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile CachedView<ServiceInstance> view; // set by start(), under the monitor
    // Guarded by the monitor: the view's callbacks (one at a time) and addListener's replay.
    private CacheSnapshot<ServiceInstance> heard; // the state listeners have been told of; null before the snapshot
    private Map<String, CachedEntry<ServiceInstance>> previous = Map.of(); // the state before heard's revision
    private volatile List<ServiceInstance> instances = List.of();

    ServiceWatch(String name) {
        this.name = name;
    }

    /** Opens the view once this watch is fully built; called once, by {@link ServiceRegistry#watch}. */
    ServiceWatch start(EtcdClient client, String prefix, ValueCodec<ServiceInstance> codec) {
        this.events = client.listener();
        synchronized (this) { // the view's callbacks, which use this.view, wait until it is set
            this.view = CachedView.builder(client, prefix, codec).listener(new Feed()).open();
        }
        // A view closed or ended before its first snapshot never makes ready() complete: fail it then instead.
        view.readyAsync().whenComplete((x, e) -> {
            if (e != null) {
                ready.completeExceptionally(e);
            }
        });
        return this;
    }

    /** Hears the view's changes; called one at a time, after the view has published the revision they belong to. */
    private final class Feed implements CacheListener<ServiceInstance> {
        @Override
        public void onReady(CacheSnapshot<ServiceInstance> snapshot) {
            synchronized (ServiceWatch.this) {
                show(snapshot);
                for (ServiceInstance i : instances) {
                    fire(l -> l.added(i));
                }
            }
            ready.complete(null);
        }

        @Override
        public void onPut(CachedEntry<ServiceInstance> entry) {
            synchronized (ServiceWatch.this) {
                follow();
                CachedEntry<ServiceInstance> before = previous.get(entry.key());
                if (before == null) {
                    fire(l -> l.added(entry.value()));
                } else if (!before.value().equals(entry.value())) {
                    fire(l -> l.changed(before.value(), entry.value()));
                }
            }
        }

        @Override
        public void onDelete(String key, long revision) {
            synchronized (ServiceWatch.this) {
                follow();
                CachedEntry<ServiceInstance> before = previous.get(key);
                if (before != null) {
                    fire(l -> l.removed(before.value()));
                }
            }
        }

        @Override
        public void onReset(CacheSnapshot<ServiceInstance> snapshot) {
            synchronized (ServiceWatch.this) {
                show(snapshot);
                Map<String, CachedEntry<ServiceInstance>> after = snapshot.entries();
                for (Map.Entry<String, CachedEntry<ServiceInstance>> e : sorted(previous)) {
                    CachedEntry<ServiceInstance> now = after.get(e.getKey());
                    ServiceInstance was = e.getValue().value();
                    if (now == null) {
                        fire(l -> l.removed(was));
                    } else if (!now.value().equals(was)) {
                        fire(l -> l.changed(was, now.value()));
                    }
                }
                for (Map.Entry<String, CachedEntry<ServiceInstance>> e : sorted(after)) {
                    if (!previous.containsKey(e.getKey())) {
                        fire(l -> l.added(e.getValue().value()));
                    }
                }
            }
        }

        @Override
        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
            LOG.warn("ignoring malformed service entry {}: {}", raw.keyAsString(), error.toString());
            synchronized (ServiceWatch.this) {
                fire(l -> l.skipped(raw.keyAsString(), error));
            }
        }
    }

    /**
     * Takes in the view's state if it is newer than what listeners were told of. Called by the first callback of
     * a revision, when the view already shows the whole revision; the later callbacks of the revision find it
     * taken in and compare with the same {@link #previous} state.
     */
    private void follow() {
        CacheSnapshot<ServiceInstance> now = view.snapshot();
        if (now != heard) {
            show(now);
        }
    }

    /** Makes {@code snapshot} the list readers see, remembering the state before it for the diffs. */
    private void show(CacheSnapshot<ServiceInstance> snapshot) {
        boolean first = heard == null;
        previous = first ? Map.of() : heard.entries();
        heard = snapshot;
        List<ServiceInstance> before = instances;
        instances = sorted(snapshot.entries()).stream().map(e -> e.getValue().value()).toList();
        if (events != EtcdListener.NONE && (first || !instances.equals(before))) {
            events.registryChanged(name, instances.size());
        }
    }

    /** The entries in key order, which under one service's prefix is id order. */
    private static List<Map.Entry<String, CachedEntry<ServiceInstance>>> sorted(
            Map<String, CachedEntry<ServiceInstance>> entries) {
        List<Map.Entry<String, CachedEntry<ServiceInstance>>> list = new ArrayList<>(entries.entrySet());
        list.sort(Map.Entry.comparingByKey());
        return list;
    }

    private void fire(Consumer<ServiceWatchListener> call) {
        for (ServiceWatchListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("service watch listener failed", e);
            }
        }
    }

    /**
     * The service name.
     *
     * @return the service name
     */
    public String name() {
        return name;
    }

    /**
     * The instances as last observed, in id order; empty before the first snapshot. Lock-free, immutable.
     *
     * @return the instances as last observed, in id order; empty before the first snapshot
     */
    public List<ServiceInstance> instances() {
        return instances;
    }

    /**
     * The instance with {@code id} as last observed. Lock-free.
     *
     * @param id the instance id
     * @return the instance with {@code id} as last observed
     */
    public Optional<ServiceInstance> instance(String id) {
        for (ServiceInstance i : instances) {
            if (i.id().equals(id)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Async twin of {@link #awaitReady}: completes when the first snapshot has been applied to
     * {@link #instances()} (on the thread that delivers the watch's events), so no thread waits. Fails with
     * {@link io.etcdkit.recipes.cache.CacheClosedException} when the watch is closed first, and with the reason
     * (an {@link io.etcdkit.EtcdException}) when the subscription ends for good first.
     *
     * @return a future that completes when the first snapshot is applied, or exceptionally with the failure
     */
    public CompletableFuture<Void> ready() {
        return ready.copy();
    }

    /**
     * Waits up to {@code timeout} for the first snapshot; true when it is applied.
     *
     * @param timeout how long to wait at most
     * @return {@code true} when the first snapshot is applied, {@code false} on time-out
     * @throws InterruptedException if the thread is interrupted while waiting
     */
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
     *
     * @param listener the listener to call
     */
    public synchronized void addListener(ServiceWatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (heard != null) {
            for (ServiceInstance i : instances) {
                try {
                    listener.added(i);
                } catch (RuntimeException e) {
                    LOG.warn("service watch listener failed", e);
                }
            }
        }
        listeners.add(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener to call
     */
    public void removeListener(ServiceWatchListener listener) {
        listeners.remove(listener);
    }

    /**
     * Whether the subscription has ended (closed, or ended by the client or server).
     *
     * @return whether the subscription has ended (closed, or ended by the client or server)
     */
    public boolean isClosed() {
        return view.isClosed();
    }

    /** Stops following the service; idempotent. */
    @Override
    public void close() {
        view.close();
    }

    @Override
    public String toString() {
        return "ServiceWatch[" + name + ", " + instances.size() + " instances]";
    }
}
