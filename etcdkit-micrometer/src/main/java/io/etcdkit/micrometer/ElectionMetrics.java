package io.etcdkit.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Leadership per election: {@code etcdkit.election.leader} is 1 while this process leads, and
 * {@code etcdkit.election.changes} counts wins ({@code leader=true}) and losses ({@code leader=false}). Tagged by
 * {@code election}: an application takes part in few elections.
 */
final class ElectionMetrics {
    private final MetersByName<AtomicInteger> leader;
    private final MetersByName<Counter> won;
    private final MetersByName<Counter> lost;

    ElectionMetrics(MeterRegistry registry, Tags common) {
        leader = new MetersByName<>(election -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder(MeterNames.ELECTION_LEADER, state, AtomicInteger::get)
                    .description("1 while this process is the election's leader, else 0")
                    .tags(common).tag("election", election).strongReference(true).register(registry);
            return state;
        });
        won = new MetersByName<>(election -> changes(registry, common, election, true));
        lost = new MetersByName<>(election -> changes(registry, common, election, false));
    }

    private static Counter changes(MeterRegistry registry, Tags common, String election, boolean leader) {
        return Counter.builder(MeterNames.ELECTION_CHANGES)
                .description("leadership won (leader=true) or lost (leader=false) by this process")
                .tags(common).tag("election", election).tag("leader", Boolean.toString(leader))
                .register(registry);
    }

    void changed(String election, boolean isLeader) {
        leader.get(election).set(isLeader ? 1 : 0);
        (isLeader ? won : lost).get(election).increment();
    }
}
