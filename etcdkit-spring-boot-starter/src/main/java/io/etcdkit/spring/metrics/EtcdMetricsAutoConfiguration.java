package io.etcdkit.spring.metrics;

import io.etcdkit.micrometer.EtcdMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Binds etcdkit's listener SPI to Micrometer when a {@link MeterRegistry} bean exists and {@code etcdkit-micrometer}
 * is on the classpath: an {@link EtcdMetrics} listener bean, which the client auto-configuration passes to the
 * client, recording the {@code etcdkit.*} meters and, with an {@link ObservationRegistry} bean, one
 * {@code etcdkit.call} observation per call for tracing. Calls are timed once, as {@code etcdkit.calls}: the
 * {@link EtcdMetrics#denyObservationMeters()} filter keeps Boot's observation meter handler from timing them a
 * second time. Off with {@code etcdkit.metrics.enabled=false}.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, EtcdMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "etcdkit.metrics", name = "enabled", matchIfMissing = true)
public class EtcdMetricsAutoConfiguration {

    /** Creates the configuration; used by Spring. */
    public EtcdMetricsAutoConfiguration() {
    }

    /**
     * The listener that records etcdkit's meters and observations.
     *
     * @param registry the application's meter registry
     * @param observations the application's observation registry, if any
     * @return the listener, picked up by the client auto-configuration
     */
    @Bean
    @ConditionalOnMissingBean
    public EtcdMetrics etcdMetrics(MeterRegistry registry, ObjectProvider<ObservationRegistry> observations) {
        var builder = EtcdMetrics.builder(registry);
        observations.ifAvailable(builder::observationRegistry);
        return builder.build();
    }

    /**
     * Keeps an observation meter handler from timing etcdkit's calls twice ({@code etcdkit.call} and
     * {@code etcdkit.call.active} are denied; {@code etcdkit.calls} stays).
     *
     * @return the filter, applied by Boot to its registries
     */
    @Bean
    public MeterFilter etcdkitObservationMeterFilter() {
        return EtcdMetrics.denyObservationMeters();
    }
}
