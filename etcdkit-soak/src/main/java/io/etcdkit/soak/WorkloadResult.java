package io.etcdkit.soak;

/**
 * One workload's part of a {@link SoakResult}.
 *
 * @param operations everything it did (time, latency, outcome of each operation)
 * @param verdict its checker's verdict
 * @param progressAfterHeal whether it completed an operation after the last fault was healed
 */
public record WorkloadResult(OperationLog.Snapshot operations, Verdict verdict, boolean progressAfterHeal) {
    /** {@return the workload's name} */
    public String name() {
        return operations.workload();
    }

    /**
     * How many operations ended with {@code outcome}.
     *
     * @param outcome the outcome
     * @return the count
     */
    public long count(Outcome outcome) {
        long n = 0;
        for (int i = 0; i < operations.size(); i++) {
            if (operations.outcome(i) == outcome) {
                n++;
            }
        }
        return n;
    }
}
