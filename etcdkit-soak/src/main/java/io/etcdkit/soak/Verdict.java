package io.etcdkit.soak;

import java.util.List;

/**
 * What one workload's checker concluded.
 *
 * @param workload the workload's name
 * @param checker the checker's name
 * @param violations how many violations it found (0 for a clean run)
 * @param conclusive false when the checker ran out of budget before deciding (no violation found, no pass either)
 * @param summary its one-line summary
 * @param details every violation with the operations around it (the checker's own messages), and what was left
 *     undecided; empty when clean
 */
public record Verdict(String workload, String checker, long violations, boolean conclusive, String summary,
        List<String> details) {
    /** Copies {@code details}. */
    public Verdict {
        details = List.copyOf(details);
    }

    /**
     * A conclusive verdict.
     *
     * @param workload the workload's name
     * @param checker the checker's name
     * @param violations how many violations it found
     * @param summary its one-line summary
     * @param details every violation with the operations around it
     */
    public Verdict(String workload, String checker, long violations, String summary, List<String> details) {
        this(workload, checker, violations, true, summary, details);
    }

    /** {@return true when the checker decided and found nothing} */
    public boolean isClean() {
        return violations == 0 && conclusive;
    }
}
