package io.etcdkit.micrometer;

import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters of one kind of call (service, method, write), one timer and one retry counter per outcome, each
 * registered on first use and then reused: a call costs an array read, never tag building. Stateless per call,
 * so the same instance is every such call's {@link CallListener}.
 */
final class CallMeters implements CallListener {
    private static final CallOutcome[] OUTCOMES = CallOutcome.values();
    private static final String[] OUTCOME_TAGS = new String[OUTCOMES.length];

    static {
        for (CallOutcome o : OUTCOMES) {
            OUTCOME_TAGS[o.ordinal()] = outcomeTag(o);
        }
    }

    private final MeterRegistry registry;
    private final Tags callTags;
    private final Tags retryTags;
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OUTCOMES.length);
    private final AtomicReferenceArray<Counter> retries = new AtomicReferenceArray<>(OUTCOMES.length);

    CallMeters(MeterRegistry registry, Tags common, CallInfo call) {
        this.registry = registry;
        this.retryTags = common.and("service", call.service(), "method", call.method());
        this.callTags = retryTags.and("write", Boolean.toString(call.write()));
    }

    /** The tag value of an outcome: {@code ok}, {@code refused}, ..., {@code outcome_unknown}. */
    static String outcomeTag(CallOutcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    static String tagOf(CallOutcome outcome) {
        return OUTCOME_TAGS[outcome.ordinal()];
    }

    @Override
    public void attemptFailed(String member, CallOutcome outcome) {
        retryCounter(outcome).increment();
    }

    @Override
    public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
        timer(outcome).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    Timer timer(CallOutcome outcome) {
        int i = outcome.ordinal();
        Timer t = timers.get(i);
        if (t == null) {
            t = Timer.builder(MeterNames.CALLS)
                    .description("etcd calls from start to end, retries included, by outcome")
                    .tags(callTags).tag("outcome", OUTCOME_TAGS[i])
                    .register(registry);
            timers.set(i, t); // a racing registration returns the same meter
        }
        return t;
    }

    Counter retryCounter(CallOutcome outcome) {
        int i = outcome.ordinal();
        Counter c = retries.get(i);
        if (c == null) {
            c = Counter.builder(MeterNames.CALL_RETRIES)
                    .description("failed attempts of etcd calls that were then retried, by the attempt's outcome")
                    .tags(retryTags).tag("outcome", OUTCOME_TAGS[i])
                    .register(registry);
            retries.set(i, c);
        }
        return c;
    }
}
