package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Lock wait and hold times and queue wake-ups. Untagged by default, since lock names can be data (a lock per
 * job); with {@link EtcdMetricsBuilder#lockTag} each is tagged {@code lock} with a bounded value.
 */
final class LockMetrics {
    private final BoundedTagValues lockTag;
    private final MetersByName<Timer> wait;
    private final MetersByName<Timer> held;
    private final MetersByName<Counter> wakeups;

    LockMetrics(MeterRegistry registry, Tags common, BoundedTagValues lockTag) {
        this.lockTag = lockTag;
        wait = new MetersByName<>(value -> Timer.builder(MeterNames.LOCK_WAIT)
                .description("time callers waited to acquire a lock, read/write lock or semaphore permit")
                .tags(tags(common, "lock", value)).register(registry));
        held = new MetersByName<>(value -> Timer.builder(MeterNames.LOCK_HELD)
                .description("time locks were held, until released or lost with their session")
                .tags(tags(common, "lock", value)).register(registry));
        wakeups = new MetersByName<>(value -> Counter.builder(MeterNames.QUEUE_WAKEUPS)
                .description("waiters of lock and election queues woken to check their turn; about one per "
                        + "hand-off when fair, many more means a herd")
                .tags(tags(common, "queue", value)).register(registry));
        if (lockTag == null) { // one set of untagged meters, shown from the start
            wait.get("");
            held.get("");
            wakeups.get("");
        }
    }

    private static Tags tags(Tags common, String key, String value) {
        return value.isEmpty() ? common : common.and(key, value);
    }

    private String value(String name) {
        return lockTag == null ? "" : lockTag.valueOf(name);
    }

    void acquired(String lock, Duration waited) {
        wait.get(value(lock)).record(waited);
    }

    void released(String lock, Duration heldFor) {
        held.get(value(lock)).record(heldFor);
    }

    void woken(String queue) {
        wakeups.get(value(queue)).increment();
    }
}
