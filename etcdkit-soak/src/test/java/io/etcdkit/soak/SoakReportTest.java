package io.etcdkit.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.DeadlineExceededException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.NoLeaderException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a run with a violation, and the pieces it is built from; no etcd needed. */
class SoakReportTest {
    @Test
    void aViolationFailsTheRunAndIsListedWithTheCheckersOwnDescription(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        OperationLog registers = new OperationLog("registers");
        registers.record(t0, Outcome.OK);
        registers.record(t0, Outcome.UNKNOWN);
        OperationLog locks = new OperationLog("locks");
        locks.record(t0, Outcome.FAILED);
        List<FaultWindow> faults = List.of(
                new FaultWindow(FaultKind.KILL, "m1", t0 + 1_000_000, t0 + 2_000_000_000L, "kill -9 pid 1"),
                new FaultWindow(FaultKind.COMPACT, "cluster", t0 + 3_000_000_000L, t0 + 3_000_000_000L, "at 10"));
        SoakResult result = new SoakResult(9, 3, EnumSet.of(FaultKind.KILL, FaultKind.COMPACT, FaultKind.PAUSE),
                "available", t0, t0 + 4_000_000_000L, Duration.ofSeconds(5), faults, List.of(
                        new WorkloadResult(registers.snapshot(), new Verdict("registers", "LinearizabilityChecker", 1,
                                "VIOLATION", List.of("key soak/reg/k1: read p2-7 after write p1-3 completed")),
                                true),
                        new WorkloadResult(locks.snapshot(), new Verdict("locks", "FencingChecker", 0, "clean",
                                List.of()), false)));

        assertThat(result.violations()).isEqualTo(1);
        assertThat(result.passed()).isFalse();
        assertThat(result.faultsByKind()).containsEntry(FaultKind.KILL, 1).containsEntry(FaultKind.COMPACT, 1)
                .doesNotContainKey(FaultKind.PAUSE);
        String text = SoakReport.text(result);
        assertThat(text).startsWith("SOAK seed 9, 3 members")
                .contains("faults: 2 — KILL 1 PAUSE 0 COMPACT 1")
                .contains("violations: 1 — FAILED")
                .contains("registers — key soak/reg/k1: read p2-7 after write p1-3 completed")
                .contains("KILL            m1           kill -9 pid 1");
        assertThat(text.lines().filter(l -> l.startsWith("locks ")).findFirst().orElseThrow())
                .contains(" NO ").contains("0 (FencingChecker)");
        assertThat(text.lines().filter(l -> l.startsWith("registers ")).findFirst().orElseThrow())
                .matches("registers\\s+2\\s+1\\s+0\\s+1 .*");

        SoakReport.write(result, dir);
        assertThat(ImageIO.read(dir.resolve(SoakReport.PNG_FILE).toFile()).getHeight()).isGreaterThan(300);
        assertThat(Files.readString(dir.resolve(SoakReport.TEXT_FILE))).isEqualTo(text);
    }

    @Test
    void anInconclusiveCheckerIsNoPass() {
        Verdict undecided = new Verdict("registers", "LinearizabilityChecker", 0, false, "INCONCLUSIVE",
                List.of("inconclusive: key k1"));
        assertThat(undecided.isClean()).isFalse();
        assertThat(new Verdict("w", "c", 0, "ok", List.of()).isClean()).isTrue();
    }

    @Test
    void onlyARefusalBeforeSendingCountsAsFailedForAWrite() {
        assertThat(WriteErrors.outcomeOf(new EtcdUnavailableException("down"))).isEqualTo(Outcome.FAILED);
        assertThat(WriteErrors.outcomeOf(new NoLeaderException("no leader"))).isEqualTo(Outcome.FAILED);
        assertThat(WriteErrors.outcomeOf(new OutcomeUnknownException("lost"))).isEqualTo(Outcome.UNKNOWN);
        assertThat(WriteErrors.outcomeOf(new DeadlineExceededException("slow"))).isEqualTo(Outcome.UNKNOWN);
        assertThat(WriteErrors.outcomeOf(new IllegalStateException("odd"))).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void percentilesAreOfTheSuccessfulOperationsOnly() {
        OperationLog log = new OperationLog("w");
        long now = System.nanoTime();
        for (int i = 1; i <= 100; i++) {
            log.record(now - i * 1_000_000L, Outcome.OK); // latencies of about 1..100 ms
        }
        log.record(now - 10_000_000_000L, Outcome.UNKNOWN); // 10 s, not counted
        OperationLog.Snapshot s = log.snapshot();
        assertThat(s.size()).isEqualTo(101);
        assertThat(s.okLatencyPercentile(50) / 1_000_000).isBetween(50L, 60L);
        assertThat(s.okLatencyPercentile(99) / 1_000_000).isBetween(99L, 120L);
        assertThat(log.okSince(now - 1)).isTrue();
        assertThat(log.okSince(System.nanoTime())).isFalse();
    }
}
