package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watch streams (connects and disconnects per member), open watchers, delivered events, compactions and re-syncs.
 * The untagged meters are registered at once, so a scrape shows 0 rather than nothing.
 */
final class WatchMetrics {
    private final MetersByName<Counter> connects;
    private final MetersByName<Counter> disconnects;
    private final AtomicInteger watchers = new AtomicInteger();
    private final Counter events;
    private final Counter compactions;
    private final Counter resyncs;

    WatchMetrics(MeterRegistry registry, Tags common) {
        connects = new MetersByName<>(member -> Counter.builder(MeterNames.WATCH_STREAM_CONNECTS)
                .description("watch streams established on a member, first connections and reconnections")
                .tags(common).tag("member", member).register(registry));
        disconnects = new MetersByName<>(member -> Counter.builder(MeterNames.WATCH_STREAM_DISCONNECTS)
                .description("watch streams that broke or were moved away from a silent member")
                .tags(common).tag("member", member).register(registry));
        Gauge.builder(MeterNames.WATCH_WATCHERS, watchers, AtomicInteger::get)
                .description("open watchers (plain watches and subscriptions)")
                .tags(common).strongReference(true).register(registry);
        events = Counter.builder(MeterNames.WATCH_EVENTS)
                .description("events (puts and deletes) handed to watchers' consumers")
                .baseUnit("events").tags(common).register(registry);
        compactions = Counter.builder(MeterNames.WATCH_COMPACTIONS)
                .description("watchers whose start revision had been compacted away")
                .tags(common).register(registry);
        resyncs = Counter.builder(MeterNames.WATCH_RESYNCS)
                .description("subscriptions that re-listed their prefix after a compaction")
                .tags(common).register(registry);
    }

    void streamConnected(String member) {
        connects.get(member).increment();
    }

    void streamDisconnected(String member) {
        disconnects.get(member).increment();
    }

    void watcherOpened() {
        watchers.incrementAndGet();
    }

    void watcherClosed() {
        watchers.decrementAndGet();
    }

    void delivered(int count) {
        events.increment(count);
    }

    void compacted() {
        compactions.increment();
    }

    void resyncStarted() {
        resyncs.increment();
    }
}
