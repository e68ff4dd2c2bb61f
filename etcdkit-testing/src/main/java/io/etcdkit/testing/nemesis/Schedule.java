package io.etcdkit.testing.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The random plan of a nemesis: kinds come as shuffled rounds (every enabled kind once per round, in a random
 * order), and each step draws its member, lengths and extra pick in the same order, so the plan depends on the seed
 * only. Not thread-safe (one nemesis thread uses it).
 */
final class Schedule {

    private final Random random;
    private final List<FaultKind> kinds;
    private final int members;
    private final Duration faultMin;
    private final Duration faultMax;
    private final Duration calmMin;
    private final Duration calmMax;
    private final List<FaultKind> round = new ArrayList<>();
    private int number;

    Schedule(long seed, Set<FaultKind> kinds, int members, Duration faultMin, Duration faultMax, Duration calmMin,
             Duration calmMax) {
        this.random = new Random(seed);
        this.kinds = List.copyOf(kinds); // EnumSet order: stable
        this.members = members;
        this.faultMin = faultMin;
        this.faultMax = faultMax;
        this.calmMin = calmMin;
        this.calmMax = calmMax;
    }

    ScheduleStep next() {
        if (round.isEmpty()) {
            round.addAll(kinds);
            Collections.shuffle(round, random);
        }
        FaultKind kind = round.remove(0);
        int member = random.nextInt(members);
        long fault = between(faultMin, faultMax);
        long calm = between(calmMin, calmMax);
        int pick = random.nextInt(Integer.MAX_VALUE);
        return new ScheduleStep(++number, kind, member, fault, calm, pick);
    }

    /** The first {@code count} steps of the plan for this seed, without disturbing this schedule. */
    static List<ScheduleStep> preview(long seed, Set<FaultKind> kinds, int members, Duration faultMin,
                                      Duration faultMax, Duration calmMin, Duration calmMax, int count) {
        Schedule copy = new Schedule(seed, kinds, members, faultMin, faultMax, calmMin, calmMax);
        List<ScheduleStep> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(copy.next());
        }
        return steps;
    }

    private long between(Duration min, Duration max) {
        long low = min.toNanos();
        long span = max.toNanos() - low;
        return span <= 0 ? low : low + (long) (random.nextDouble() * span);
    }
}
