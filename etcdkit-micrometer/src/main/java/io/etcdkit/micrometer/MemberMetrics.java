package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Member fail-overs: {@code etcdkit.member.failovers} counts each time a member is set aside, and
 * {@code etcdkit.member.avoided} is 1 while it is, 0 once it answers again. Tagged by {@code member}: endpoints are
 * few and fixed by configuration.
 */
final class MemberMetrics {
    private final MetersByName<Counter> failovers;
    private final MetersByName<AtomicInteger> avoided;

    MemberMetrics(MeterRegistry registry, Tags common) {
        failovers = new MetersByName<>(member -> Counter.builder(MeterNames.MEMBER_FAILOVERS)
                .description("times a member failed at the transport level and calls failed over to others")
                .tags(common).tag("member", member).register(registry));
        avoided = new MetersByName<>(member -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder(MeterNames.MEMBER_AVOIDED, state, AtomicInteger::get)
                    .description("1 while the member is avoided after a failure, else 0")
                    .tags(common).tag("member", member).strongReference(true).register(registry);
            return state;
        });
    }

    void avoided(String member) {
        failovers.get(member).increment();
        avoided.get(member).set(1);
    }

    void recovered(String member) {
        avoided.get(member).set(0);
    }
}
