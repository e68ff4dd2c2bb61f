package io.etcdkit.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an etcd call's observation and chooses its key values. Implement it (usually by extending
 * {@link DefaultEtcdCallObservationConvention}) and pass it to
 * {@link EtcdMetricsBuilder#observationConvention(EtcdCallObservationConvention)}, or register it as a global
 * convention on the {@code ObservationRegistry}.
 */
public interface EtcdCallObservationConvention extends ObservationConvention<EtcdCallContext> {
    /**
     * Whether this convention applies to {@code context}.
     *
     * @param context an observation's context
     * @return {@code true} for an {@link EtcdCallContext}
     */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof EtcdCallContext;
    }
}
