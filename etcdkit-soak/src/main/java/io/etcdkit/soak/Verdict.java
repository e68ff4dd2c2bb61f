package io.etcdkit.soak;

import java.util.List;

/**
 * What one workload's checker concluded.
 *
 * @param workload the workload's name
 * @param checker the checker's name
 * @param violations how many violations it found (0 for a clean run)
 * @param summary its one-line summary
 * @param details every violation with the operations around it (the checker's own messages), empty when clean
 */
public record Verdict(String workload, String checker, long violations, String summary, List<String> details) {
    /** Copies {@code details}. */
    public Verdict {
        details = List.copyOf(details);
    }

    /** {@return true when the checker found nothing} */
    public boolean isClean() {
        return violations == 0;
    }
}
