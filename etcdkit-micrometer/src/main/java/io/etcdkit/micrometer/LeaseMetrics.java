package io.etcdkit.micrometer;

import io.etcdkit.lease.LeaseState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Lease state transitions by the state entered ({@code alive}, {@code at_risk}, {@code expired}, {@code revoked},
 * {@code closed}) and failures of the shared keep-alive stream.
 */
final class LeaseMetrics {
    private final MeterRegistry registry;
    private final Tags common;
    private final AtomicReferenceArray<Counter> transitions =
            new AtomicReferenceArray<>(LeaseState.values().length);
    private final Counter keepAliveFailures;

    LeaseMetrics(MeterRegistry registry, Tags common) {
        this.registry = registry;
        this.common = common;
        keepAliveFailures = Counter.builder(MeterNames.LEASE_KEEPALIVE_FAILURES)
                .description("failures of the shared keep-alive stream; its leases are renewed once it is back")
                .tags(common).register(registry);
    }

    void changed(LeaseState current) {
        int i = current.ordinal();
        Counter c = transitions.get(i);
        if (c == null) {
            c = Counter.builder(MeterNames.LEASE_TRANSITIONS)
                    .description("kept-alive leases entering a state")
                    .tags(common).tag("state", current.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            transitions.set(i, c);
        }
        c.increment();
    }

    void keepAliveFailed() {
        keepAliveFailures.increment();
    }
}
