package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code etcdkit.registry.instances}: the registered instances of each watched service (tag {@code service}: an
 * application watches few services).
 */
final class ServiceRegistryMetrics {
    private final MetersByName<AtomicInteger> instances;

    ServiceRegistryMetrics(MeterRegistry registry, Tags common) {
        instances = new MetersByName<>(service -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder(MeterNames.REGISTRY_INSTANCES, count, AtomicInteger::get)
                    .description("instances registered for a watched service").baseUnit("instances")
                    .tags(common).tag("service", service).strongReference(true).register(registry);
            return count;
        });
    }

    void changed(String service, int count) {
        instances.get(service).set(count);
    }
}
