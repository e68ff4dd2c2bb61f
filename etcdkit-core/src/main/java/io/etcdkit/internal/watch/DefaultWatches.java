package io.etcdkit.internal.watch;

import io.etcdkit.internal.ClientContext;
import io.etcdkit.kv.Kv;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import io.etcdkit.watch.Watches;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/** The {@link Watches} of one client view, on the client's shared {@link WatchEngine}. */
public final class DefaultWatches implements Watches {
    private final ClientContext ctx;
    private final WatchEngine engine;
    private final Kv kv;
    private final Executor executor;
    private final EtcdListener events;

    /** The watches of view {@code ctx}; {@code kv} is the same view's KV (for snapshots). */
    public DefaultWatches(ClientContext ctx, WatchEngine engine, Kv kv) {
        this.ctx = ctx;
        this.engine = engine;
        this.kv = kv;
        this.executor = ctx.transport().callbackExecutor();
        this.events = ctx.transport().listener();
    }

    @Override
    public Watcher watch(Watch watch, WatchListener listener) {
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(listener, "listener");
        Delivery d = new Delivery(executor, events, listener::onEvent, listener::onCaughtUp, () -> { },
                watch.bufferEvents(), Long.MAX_VALUE);
        return start(watch, d);
    }

    private WatcherCore start(Watch watch, Delivery d) {
        WatcherCore core = new WatcherCore(engine.nextStream(), watch, ctx.namespace(), d, null,
                WatcherLifetime.opened(events));
        core.stream().add(core);
        return core;
    }

    @Override
    public Flow.Publisher<WatchEvent> publisher(Watch watch) {
        Objects.requireNonNull(watch, "watch");
        return new FlowAdapter(executor, events, watch.bufferEvents(), (d, s) -> start(watch, d));
    }

    @Override
    public Watcher subscribe(Subscribe subscribe, WatchListener listener) {
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(listener, "listener");
        Delivery d = new Delivery(executor, events, listener::onEvent, listener::onCaughtUp, () -> { },
                subscribe.bufferEvents(), Long.MAX_VALUE);
        return startSubscription(subscribe, d);
    }

    private SnapshotSubscription startSubscription(Subscribe subscribe, Delivery d) {
        SnapshotSubscription s = new SnapshotSubscription(kv, engine, ctx.namespace(), subscribe, d,
                WatcherLifetime.opened(events));
        s.start();
        return s;
    }

    @Override
    public Flow.Publisher<WatchEvent> subscription(Subscribe subscribe) {
        Objects.requireNonNull(subscribe, "subscribe");
        return new FlowAdapter(executor, events, subscribe.bufferEvents(),
                (d, s) -> startSubscription(subscribe, d));
    }
}
