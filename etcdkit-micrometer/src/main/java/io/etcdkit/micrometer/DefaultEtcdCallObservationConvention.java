package io.etcdkit.micrometer;

import io.etcdkit.observe.CallOutcome;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * etcdkit's convention for call observations: name {@code etcdkit.call}, contextual name (a span's name)
 * {@code etcd KV/Put}; low-cardinality key values {@code service}, {@code method}, {@code write} and, once the call
 * has ended, {@code outcome} ({@code ok}, {@code refused}, {@code unavailable}, {@code deadline},
 * {@code outcome_unknown}); high-cardinality key value {@code member} (the endpoint of the last attempt, or
 * {@code none}).
 */
public class DefaultEtcdCallObservationConvention implements EtcdCallObservationConvention {
    /** The shared instance. */
    public static final DefaultEtcdCallObservationConvention INSTANCE = new DefaultEtcdCallObservationConvention();

    /** A convention with etcdkit's names; extend it to add key values. */
    public DefaultEtcdCallObservationConvention() {
    }

    /**
     * The observation's name.
     *
     * @return {@code etcdkit.call}
     */
    @Override
    public String getName() {
        return MeterNames.CALL_OBSERVATION;
    }

    /**
     * The name a tracing bridge gives the call's span.
     *
     * @param context the call's context
     * @return {@code etcd } followed by the call's {@code service/method}, e.g. {@code etcd KV/Put}
     */
    @Override
    public String getContextualName(EtcdCallContext context) {
        return "etcd " + context.call().fullName();
    }

    /**
     * The bounded key values: service, method, write, and the outcome once known.
     *
     * @param context the call's context
     * @return the key values
     */
    @Override
    public KeyValues getLowCardinalityKeyValues(EtcdCallContext context) {
        KeyValues values = KeyValues.of(
                KeyValue.of("service", context.call().service()),
                KeyValue.of("method", context.call().method()),
                KeyValue.of("write", Boolean.toString(context.call().write())));
        CallOutcome outcome = context.outcome();
        return outcome == null ? values : values.and("outcome", CallMeters.tagOf(outcome));
    }

    /**
     * The unbounded key values: the member, once the call has ended.
     *
     * @param context the call's context
     * @return {@code member} with the endpoint, or {@code none} when no member was reached; nothing while the call
     *     runs
     */
    @Override
    public KeyValues getHighCardinalityKeyValues(EtcdCallContext context) {
        if (context.outcome() == null) {
            return KeyValues.empty();
        }
        String member = context.member();
        return KeyValues.of("member", member == null ? KeyValue.NONE_VALUE : member);
    }
}
