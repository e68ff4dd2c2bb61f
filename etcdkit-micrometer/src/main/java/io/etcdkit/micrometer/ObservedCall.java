package io.etcdkit.micrometer;

import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.micrometer.observation.Observation;

/**
 * One call followed by an {@link Observation} (started on the caller's thread, so the caller's current observation
 * is its parent) and by its kind's meters. The call's duration is recorded by those meters ({@code etcdkit.calls});
 * a meter handler on the observation registry would time it a second time, which
 * {@link EtcdMetrics#denyObservationMeters()} prevents.
 */
final class ObservedCall implements CallListener {
    private final CallMeters meters;
    private final EtcdCallContext context;
    private final Observation observation;

    ObservedCall(CallMeters meters, EtcdCallContext context, Observation observation) {
        this.meters = meters;
        this.context = context;
        this.observation = observation;
    }

    @Override
    public void attemptFailed(String member, CallOutcome outcome) {
        meters.attemptFailed(member, outcome);
    }

    @Override
    public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
        meters.ended(member, outcome, durationNanos, error);
        context.ended(member, outcome);
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }
}
