package io.etcdkit.spring.config;

import io.etcdkit.EtcdClient;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Keeps the {@link EtcdPropertySource}s of the imported contexts up to date: one snapshot-then-watch subscription
 * per context on the application's client. After each etcd revision (never half a transaction) the context's
 * source is replaced as a whole and an {@link EtcdConfigChangedEvent} is published with the changed names; a
 * document that does not parse is logged and published as {@link EtcdConfigRejectedEvent}. Subscriptions retry by
 * themselves while etcd is unreachable, so an {@code optional:etcd:} start picks values up once etcd is back.
 * Started with the context, stopped before the client is closed. Thread-safe.
 */
public class EtcdConfigWatcher implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdConfigWatcher.class);

    private final EtcdClient client;
    private final ConfigurableEnvironment environment;
    private final ApplicationEventPublisher publisher;
    private final EtcdConfigContexts contexts;
    private final List<Watcher> watchers = new ArrayList<>();
    private final Object publishLock = new Object();
    private volatile boolean running;

    /**
     * Creates a watcher.
     *
     * @param client the application's client
     * @param environment the environment holding the sources
     * @param publisher where events go
     * @param contexts the contexts imported at start-up
     */
    public EtcdConfigWatcher(EtcdClient client, ConfigurableEnvironment environment,
            ApplicationEventPublisher publisher, EtcdConfigContexts contexts) {
        this.client = client;
        this.environment = environment;
        this.publisher = publisher;
        this.contexts = contexts;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (String context : contexts.contexts()) {
            watchers.add(client.watches().subscribe(Subscribe.prefix(context), new ContextListener(context)));
        }
    }

    @Override
    public synchronized void stop() {
        synchronized (publishLock) {
            running = false; // a delivery already under way publishes nothing from now on
        }
        watchers.forEach(Watcher::close);
        watchers.clear();
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    private void publish(String context, Map<String, Object> properties) {
        synchronized (publishLock) {
            if (!running) {
                return;
            }
            PropertySource<?> current = environment.getPropertySources().get(EtcdPropertySource.nameOf(context));
            if (!(current instanceof EtcdPropertySource source)) {
                LOG.warn("etcd configuration context {} has no property source in the environment; change ignored",
                        context);
                return;
            }
            Map<String, Object> before = source.properties();
            Set<String> changed = new HashSet<>();
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                    changed.add(e.getKey());
                }
            }
            for (String name : before.keySet()) {
                if (!properties.containsKey(name)) {
                    changed.add(name);
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            source.replace(properties);
            LOG.debug("etcd configuration context {} changed: {}", context, changed);
            publisher.publishEvent(new EtcdConfigChangedEvent(this, changed));
        }
    }

    /** One context's subscription; its events come one at a time. */
    private final class ContextListener implements WatchListener {
        private final ConfigContext contents;
        private final int skip;
        private boolean complete;
        private boolean dirty;

        ContextListener(String context) {
            this.contents = new ConfigContext(context);
            this.skip = context.length();
        }

        @Override
        public void onEvent(WatchEvent event) {
            if (event instanceof PutEvent put) {
                contents.put(put.kv().keyAsString().substring(skip), put.kv().valueAsString());
                dirty = true;
            } else if (event instanceof DeleteEvent delete) {
                contents.delete(delete.key().toStringUtf8().substring(skip));
                dirty = true;
            } else if (event instanceof SnapshotCompleteEvent || event instanceof ResyncedEvent) {
                complete = true;
                dirty = true;
            } else if (event instanceof SnapshotRestartedEvent) {
                contents.clearKeys(); // the snapshot starts over at a new revision
            } else if (event instanceof ResyncStartedEvent) {
                complete = false;
            } else if (event instanceof EndedEvent ended && running) {
                LOG.warn("the watch of etcd configuration context {} ended ({}); its properties keep their last "
                        + "values and no longer change", contents.path(), ended.cause().getMessage());
            }
        }

        @Override
        public void onCaughtUp() {
            if (!complete || !dirty) {
                return;
            }
            dirty = false;
            if (!running) {
                return;
            }
            Map<String, Object> properties = new HashMap<>(contents.properties((key, reason) -> {
                LOG.warn("etcd configuration document {} does not parse; keeping its last good values: {}", key,
                        reason);
                publisher.publishEvent(new EtcdConfigRejectedEvent(EtcdConfigWatcher.this, key, reason));
            }));
            publish(contents.path(), properties);
        }
    }
}
