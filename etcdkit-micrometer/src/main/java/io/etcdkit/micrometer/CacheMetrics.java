package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Per open cache (tag {@code cache}, its prefix or key: an application opens few): {@code etcdkit.cache.size}
 * and {@code etcdkit.cache.connected} (1 while current, 0 while stale or not yet loaded). Both are removed when
 * the cache closes. Caches opened more than once under one name share the gauges, which show the most recently
 * opened one, until the last of them closes.
 */
final class CacheMetrics {
    private final MeterRegistry registry;
    private final Tags common;
    private final Map<String, OpenCache> open = new HashMap<>();

    private static final class OpenCache {
        volatile IntSupplier size;
        volatile int connected;
        int opened;
        Gauge sizeGauge;
        Gauge connectedGauge;

        int size() {
            IntSupplier s = size;
            return s == null ? 0 : s.getAsInt();
        }
    }

    CacheMetrics(MeterRegistry registry, Tags common) {
        this.registry = registry;
        this.common = common;
    }

    synchronized void opened(String cache, IntSupplier size) {
        OpenCache c = open.get(cache);
        if (c == null) {
            c = new OpenCache();
            c.sizeGauge = Gauge.builder(MeterNames.CACHE_SIZE, c, OpenCache::size)
                    .description("entries held by an open cache").baseUnit("entries")
                    .tags(common).tag("cache", cache).strongReference(true).register(registry);
            c.connectedGauge = Gauge.builder(MeterNames.CACHE_CONNECTED, c, o -> o.connected)
                    .description("1 while the cache is connected and current, 0 while it is stale")
                    .tags(common).tag("cache", cache).strongReference(true).register(registry);
            open.put(cache, c);
        }
        c.size = size;
        c.opened++;
    }

    synchronized void connectionChanged(String cache, boolean connected) {
        OpenCache c = open.get(cache);
        if (c != null) {
            c.connected = connected ? 1 : 0;
        }
    }

    synchronized void closed(String cache) {
        OpenCache c = open.get(cache);
        if (c == null || --c.opened > 0) {
            return;
        }
        open.remove(cache);
        c.size = null;
        registry.remove(c.sizeGauge);
        registry.remove(c.connectedGauge);
    }
}
