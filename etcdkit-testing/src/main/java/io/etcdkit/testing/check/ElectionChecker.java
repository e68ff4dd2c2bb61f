package io.etcdkit.testing.check;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges what leader observers report during an election under faults.
 *
 * <p>Each observer records, in the order it was told, every report with {@link #observed}: the leader (or
 * empty for "no leader") and the leadership's revision or epoch (e.g. the leader key's create revision; ignored
 * for "no leader"). Violations (see {@link Report}):
 * <ul>
 *   <li><i>repeated</i>: an observer told the same thing twice in a row — the same leader with the same revision,
 *       or "no leader" twice;</li>
 *   <li><i>backwards</i>: an observer told a leadership with a lower revision after a higher one;</li>
 *   <li><i>conflicting</i>: two different leaders reported with the same revision (by any observers).</li>
 * </ul>
 *
 * <p>Thread-safe: observers may record concurrently (each in its own order). Memory grows with the number of
 * observers and distinct leaderships, not with the number of reports; problems are judged as they are recorded
 * and kept as bounded {@link Findings}.
 */
public final class ElectionChecker {

    private static final class Observer {
        long reports;
        boolean any;
        String lastLeader;
        long lastRevision;
        String highestLeader;
        long highestRevision = Long.MIN_VALUE;
    }

    private record Claim(String leader, String observer) {
    }

    private final Map<String, Observer> observers = new HashMap<>();
    private final Map<Long, Claim> firstClaim = new HashMap<>();
    private final Set<String> reportedConflicts = new HashSet<>();
    private final FindingsCollector repeated = new FindingsCollector("repeated");
    private final FindingsCollector backwards = new FindingsCollector("backwards");
    private final FindingsCollector conflicting = new FindingsCollector("conflicting");
    private long reports;

    /** Creates an empty checker. */
    public ElectionChecker() {
    }

    /**
     * Records one report to one observer, in the order that observer received its reports.
     *
     * @param observer               the observer's name
     * @param leader                 the reported leader, or empty for "no leader"
     * @param leaderRevisionOrEpoch  the leadership's revision or epoch; ignored when {@code leader} is empty
     * @throws NullPointerException if observer, leader or the leader's name is {@code null}
     */
    public void observed(String observer, Optional<String> leader, long leaderRevisionOrEpoch) {
        Objects.requireNonNull(observer, "observer");
        String name = Objects.requireNonNull(leader, "leader").orElse(null);
        synchronized (this) {
            reports++;
            Observer state = observers.computeIfAbsent(observer, o -> new Observer());
            state.reports++;
            String what = name == null ? "'no leader'" : "leader " + name + " at revision " + leaderRevisionOrEpoch;
            long order = name == null ? state.lastRevision : leaderRevisionOrEpoch;
            if (state.any && Objects.equals(state.lastLeader, name)
                    && (name == null || state.lastRevision == leaderRevisionOrEpoch)) {
                repeated.add(order, observer, observer + " was told " + what + " twice in a row (report #"
                        + state.reports + ")");
            }
            if (name != null) {
                if (leaderRevisionOrEpoch < state.highestRevision) {
                    backwards.add(leaderRevisionOrEpoch, observer, observer + " was told " + what
                            + " after leader " + state.highestLeader + " at revision " + state.highestRevision
                            + " (report #" + state.reports + ")");
                } else {
                    state.highestRevision = leaderRevisionOrEpoch;
                    state.highestLeader = name;
                }
                Claim first = firstClaim.putIfAbsent(leaderRevisionOrEpoch, new Claim(name, observer));
                if (first != null && !first.leader().equals(name)
                        && reportedConflicts.add(leaderRevisionOrEpoch + "\u0000" + name)) {
                    conflicting.add(leaderRevisionOrEpoch, name, "revision " + leaderRevisionOrEpoch
                            + " claimed by leader " + first.leader() + " (told to " + first.observer()
                            + ") and by leader " + name + " (told to " + observer + ")");
                }
                state.lastRevision = leaderRevisionOrEpoch;
            }
            state.any = true;
            state.lastLeader = name;
        }
    }

    /**
     * Judges everything recorded so far.
     *
     * @return the report
     */
    public synchronized Report check() {
        return new Report(repeated.build(), backwards.build(), conflicting.build(), reports, observers.size(),
                firstClaim.size());
    }

    /**
     * The verdict of an {@link ElectionChecker}: findings {@link #repeated()}, {@link #backwards()} and
     * {@link #conflicting()}. Immutable.
     */
    public static final class Report extends CheckReport {

        private final Findings repeated;
        private final Findings backwards;
        private final Findings conflicting;
        private final long reports;
        private final long observers;
        private final long leaderships;

        Report(Findings repeated, Findings backwards, Findings conflicting, long reports, long observers,
               long leaderships) {
            super("ElectionChecker", List.of(repeated, backwards, conflicting));
            this.repeated = repeated;
            this.backwards = backwards;
            this.conflicting = conflicting;
            this.reports = reports;
            this.observers = observers;
            this.leaderships = leaderships;
        }

        /** {@return reports repeated twice in a row to one observer} */
        public Findings repeated() {
            return repeated;
        }

        /** {@return leaderships reported with a lower revision after a higher one} */
        public Findings backwards() {
            return backwards;
        }

        /** {@return revisions claimed by two different leaders} */
        public Findings conflicting() {
            return conflicting;
        }

        /** {@return how many distinct leadership revisions were reported} */
        public long leaderships() {
            return leaderships;
        }

        @Override
        public String summary() {
            return count(reports, "report") + " to " + count(observers, "observer") + " about "
                    + count(leaderships, "leadership") + ", " + repeated.count() + " repeated, " + backwards.count()
                    + " backwards, " + conflicting.count() + " conflicting";
        }
    }
}
