package io.etcdkit.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every workload's bench works with: the options, the clients under test (by name, in run order), the
 * housekeeping client, the meters, the progress bar and where lines of the report go.
 */
record BenchContext(BenchOptions options, Map<String, Target> targets, Admin admin, Meters meters,
        ThreadCpu threadCpu, ProgressBar progress, PhaseRunner runner, PrintStream out) {

    /** One slice of a measurement, run for one client. */
    @FunctionalInterface
    interface Slice {
        void run(Target target, int slice) throws Exception;
    }

    /**
     * Runs {@code slices} slices of every target in turn, reversing the order every other slice (A B, B A, A B, ...)
     * so that neither client always goes first and load from elsewhere on the machine falls on all alike.
     */
    static void interleave(List<Target> targets, int slices, Slice body) throws Exception {
        for (int s = 0; s < slices; s++) {
            List<Target> order = new ArrayList<>(targets);
            if (s % 2 == 1) {
                Collections.reverse(order);
            }
            for (Target t : order) {
                body.run(t, s);
            }
        }
    }

    /**
     * The targets that are etcdkit or jetcd (in run order): the benches of their own drive these two clients
     * only; diagnostic variants are reported as skipped.
     */
    List<Target> etcdkitAndJetcd(Workload w) {
        List<Target> out = new ArrayList<>();
        for (Target t : targets.values()) {
            if (t instanceof EtcdkitTarget e && e.name().equals("etcdkit") || t instanceof JetcdTarget) {
                out.add(t);
            } else {
                skipped(w, t, t instanceof GoTarget ? "the Go client runs put, range-* and txn-put only"
                        : "a diagnostic client runs the operation workloads only");
            }
        }
        return out;
    }

    /** Says on the report that a client does not run a workload, and why. */
    void skipped(Workload w, Target t, String why) {
        out.printf(Locale.ROOT, "%-36s skipped: %s%n", w.id() + " / " + t.name(), why);
    }

    /** A full garbage collection and a short pause, so that a measured stretch does not pay for the one before. */
    static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    /** Prints one line about a measured result (the summary table comes at the end). */
    void printResult(Result r) {
        out.printf(Locale.ROOT, "%-36s %,9d %-10s %,11.0f /s  p50 %,9.0f  p99 %,9.0f  p99.9 %,9.0f µs  cpu %7.1f µs/op"
                + "  other %.2f cores%s%s%n", r.row() + " / " + r.client(), r.phase().ops(), r.unit(),
                r.opsPerSecond(), r.latencyMicros(50), r.latencyMicros(99), r.latencyMicros(99.9),
                r.cpuMicrosPerOp(), r.otherCores(), r.note().isEmpty() ? "" : "  " + r.note(),
                r.errors() > 0 ? "  " + r.errors() + " errors, first: " + r.phase().firstError() : "");
    }
}
