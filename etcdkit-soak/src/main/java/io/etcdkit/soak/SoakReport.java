package io.etcdkit.soak;

import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The text report of a soak run: settings, faults by kind, operations by workload (ok / failed / unknown, p50 and
 * p99 latency of the successful ones), each checker's verdict, every violation with the checker's own description
 * of the operations around it, and the list of fault windows. {@link #write} also draws the PNG timeline.
 */
public final class SoakReport {
    /** The text report's file name in the output directory. */
    public static final String TEXT_FILE = "soak-report.txt";
    /** The timeline's file name in the output directory. */
    public static final String PNG_FILE = "soak-timeline.png";

    private SoakReport() {
    }

    /**
     * Writes {@value #TEXT_FILE} and {@value #PNG_FILE} into {@code dir}.
     *
     * @param result the run
     * @param dir the directory, created if missing
     * @throws IOException if a file cannot be written
     */
    public static void write(SoakResult result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TEXT_FILE), text(result));
        SoakTimeline.write(result, dir.resolve(PNG_FILE));
    }

    /**
     * The summary without the list of fault windows (what a console shows).
     *
     * @param result the run
     * @return the summary
     */
    public static String summary(SoakResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "SOAK seed %d, %d members, %d s in all (%d s of faults); partitions: "
                        + "%s%n", result.seed(), result.members(), result.duration().toSeconds(),
                (result.faultsEndNanos() - result.startNanos()) / 1_000_000_000, result.partitions()));
        Map<FaultKind, Integer> byKind = result.faultsByKind();
        out.append("faults: ").append(result.faults().size()).append(" —");
        for (FaultKind kind : FaultKind.values()) {
            if (result.plannedKinds().contains(kind)) {
                out.append(' ').append(kind).append(' ').append(byKind.getOrDefault(kind, 0));
            }
        }
        out.append(String.format("%n%-12s %9s %9s %8s %8s %8s %8s  %-8s %s%n", "workload", "ops", "ok", "failed",
                "unknown", "p50 ms", "p99 ms", "resumed", "violations (checker)"));
        for (WorkloadResult w : result.workloads()) {
            out.append(String.format(Locale.ROOT, "%-12s %9d %9d %8d %8d %8.1f %8.1f  %-8s %d (%s%s)%n", w.name(),
                    w.operations().size(), w.count(Outcome.OK), w.count(Outcome.FAILED), w.count(Outcome.UNKNOWN),
                    w.operations().okLatencyPercentile(50) / 1e6, w.operations().okLatencyPercentile(99) / 1e6,
                    w.progressAfterHeal() ? "yes" : "NO", w.verdict().violations(), w.verdict().checker(),
                    w.verdict().conclusive() ? "" : ", INCONCLUSIVE"));
        }
        out.append("violations: ").append(result.violations()).append(result.passed() ? " — PASSED" : " — FAILED")
                .append(System.lineSeparator());
        for (WorkloadResult w : result.workloads()) {
            out.append("  ").append(w.name()).append(": ").append(w.verdict().summary())
                    .append(System.lineSeparator());
        }
        for (WorkloadResult w : result.workloads()) {
            for (String detail : w.verdict().details()) {
                out.append(w.name()).append(" — ").append(detail).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    /**
     * The whole text report: the {@link #summary} and every fault window (seconds since the workloads started).
     *
     * @param result the run
     * @return the report
     */
    public static String text(SoakResult result) {
        StringBuilder out = new StringBuilder(summary(result));
        out.append(System.lineSeparator()).append("fault windows (s since the workloads started):")
                .append(System.lineSeparator());
        for (FaultWindow w : result.faults()) {
            out.append(String.format(Locale.ROOT, "  %8.1f  %6.1f s  %-15s %-12s %s%n",
                    (w.startNanos() - result.startNanos()) / 1e9, w.lengthNanos() / 1e9, w.kind(), w.target(),
                    w.detail()));
        }
        return out.toString();
    }
}
