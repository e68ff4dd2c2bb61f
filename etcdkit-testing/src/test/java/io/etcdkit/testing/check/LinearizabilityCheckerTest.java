package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.etcdkit.testing.check.LinearizabilityReport.Verdict;
import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

class LinearizabilityCheckerTest {

    private static final Duration BUDGET = Duration.ofSeconds(30);
    private static final long MS = 1_000_000;

    // ---- histories that are linearizable ----

    @Test
    void anEmptyHistoryIsLinearizable() {
        LinearizabilityReport report = check(List.of());
        assertThat(report.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.ok()).isTrue();
        assertThat(report.keys()).isZero();
    }

    @Test
    void aSequentialHistoryIsLinearizable() {
        LinearizabilityReport report = check(List.of(
                read(1, "k", 0, 1, null),
                write(1, "k", "a", 2, 3),
                read(2, "k", 4, 5, "a"),
                cas(2, "k", "a", "b", 6, 7, true),
                cas(1, "k", "a", "c", 8, 9, false),
                read(1, "k", 10, 11, "b"),
                cas(1, "k", null, "d", 12, 13, false),
                write(3, "other", "x", 0, 1),
                cas(3, "other", "x", "y", 2, 3, true)));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.keys()).isEqualTo(2);
        assertThat(report.operations()).isEqualTo(9);
        assertThat(report.violations()).isEmpty();
    }

    @Test
    void overlappingWritesMayTakeEffectInEitherOrder() {
        for (String last : List.of("a", "b")) {
            LinearizabilityReport report = check(List.of(
                    write(1, "k", "a", 0, 10),
                    write(2, "k", "b", 1, 9),
                    read(3, "k", 2, 3, null),   // concurrent with both: may see neither
                    read(3, "k", 11, 12, last),
                    read(4, "k", 13, 14, last)));
            assertThat(report.ok()).as(last + ": " + report).isTrue();
        }
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeTheOldOrTheNewValue() {
        for (String seen : new String[] {null, "a"}) {
            assertThat(check(List.of(write(1, "k", "a", 0, 10), read(2, "k", 3, 4, seen))).ok()).isTrue();
        }
    }

    @Test
    void anUnknownWriteMayBeSeenOrNot() {
        RegisterOp unknownWrite = unknownWrite(1, "k", "x", 0, 2);
        assertThat(check(List.of(unknownWrite, read(2, "k", 5, 6, "x"), read(2, "k", 7, 8, "x"))).ok()).isTrue();
        assertThat(check(List.of(unknownWrite, read(2, "k", 5, 6, null), read(2, "k", 7, 8, null))).ok()).isTrue();
        assertThat(check(List.of(unknownWrite, read(2, "k", 5, 6, null), read(2, "k", 7, 8, "x"))).ok()).isTrue();
    }

    @Test
    void anUnknownWriteObservedLongAfterTheClientGaveUpIsFine() {
        LinearizabilityReport report = check(List.of(
                write(1, "k", "a", 0, 1),
                unknownWrite(1, "k", "x", 2, 3),      // the client gave up at 3 ms
                read(2, "k", 100, 101, "a"),
                write(2, "k", "b", 200, 201),
                read(2, "k", 1_000, 1_001, "x"),       // applied at last (completion = +infinity)
                read(3, "k", 1_002, 1_003, "x")));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.unknownOutcomes()).isEqualTo(1);
    }

    @Test
    void aPendingCasMayHaveApplied() {
        RegisterOp pending = new RegisterOp(1, Kind.CAS, "k", "a", "b", 2 * MS, Long.MAX_VALUE, Outcome.PENDING,
                null, false, null);
        assertThat(check(List.of(write(2, "k", "a", 0, 1), pending, read(2, "k", 5, 6, "b"))).ok()).isTrue();
        assertThat(check(List.of(write(2, "k", "a", 0, 1), pending, read(2, "k", 5, 6, "a"))).ok()).isTrue();
    }

    @Test
    void failedOperationsAndReadsWithoutAnswerAreDropped() {
        LinearizabilityReport report = check(List.of(
                write(1, "k", "a", 0, 1),
                failed(write(2, "k", "never", 2, 3)),
                failed(read(3, "k", 2, 3, null)),
                new RegisterOp(3, Kind.READ, "k", null, null, 4 * MS, 5 * MS, Outcome.UNKNOWN, null, false, "timeout"),
                read(1, "k", 6, 7, "a")));
        assertThat(report.ok()).as(report.toString()).isTrue();
    }

    // ---- histories that are not ----

    @Test
    void aStaleReadAfterACompletedWriteIsAViolation() {
        LinearizabilityReport report = check(List.of(
                write(1, "k", "a", 0, 1),
                write(1, "k", "b", 2, 3),
                read(2, "k", 4, 5, "a")));
        assertThat(report.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.ok()).isFalse();
        assertThat(report.violations()).singleElement().asString()
                .startsWith("key 'k': not linearizable")
                .contains("longest linearizable prefix found has 2 operations, after which the register is 'b'")
                .contains("p1 WRITE 'b' [2.000 .. 3.000 ms]")
                .contains("could not place next")
                .contains("p2 READ -> 'a' [4.000 .. 5.000 ms]  <- not possible here");
    }

    @Test
    void aReadOfAValueNeverWrittenIsAViolation() {
        LinearizabilityReport report = check(List.of(write(1, "k", "a", 0, 1), read(2, "k", 0, 5, "ghost"),
                write(3, "ok", "x", 0, 1)));
        assertThat(report.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.violations()).singleElement().asString().startsWith("key 'k'").contains("'ghost'");
    }

    @Test
    void readsThatSeeConcurrentWritesInTwoOrdersAreAViolation() {
        // both writes are complete before either read: the register no longer changes, yet the reads differ
        assertThat(check(List.of(
                write(1, "k", "a", 0, 10),
                write(2, "k", "b", 0, 10),
                read(3, "k", 11, 12, "a"),
                read(4, "k", 13, 14, "b"))).verdict()).isEqualTo(Verdict.VIOLATION);
        // new-then-old: once a read saw the write, a later read must not see the old value
        assertThat(check(List.of(
                write(1, "k", "a", 0, 100),
                read(2, "k", 10, 20, "a"),
                read(3, "k", 30, 40, null))).verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void aCasThatSucceedsOnAStaleExpectedValueIsAViolation() {
        LinearizabilityReport report = check(List.of(
                write(1, "k", "a", 0, 1),
                write(1, "k", "b", 2, 3),
                cas(2, "k", "a", "c", 4, 5, true)));
        assertThat(report.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.violations().get(0)).contains("p2 CAS 'a'->'c' applied [4.000 .. 5.000 ms]");
    }

    @Test
    void aCasThatFailsAlthoughTheRegisterHeldItsExpectedValueIsAViolation() {
        assertThat(check(List.of(write(1, "k", "a", 0, 1), cas(2, "k", "a", "c", 4, 5, false))).verdict())
                .isEqualTo(Verdict.VIOLATION);
        assertThat(check(List.of(cas(2, "k", null, "c", 4, 5, false))).verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void aLostWriteSeenThenUnseenIsAViolation() {
        // flip-flop: an unknown write may or may not have happened, but not both
        LinearizabilityReport report = check(List.of(
                write(1, "k", "a", 0, 1),
                unknownWrite(1, "k", "x", 2, 3),
                read(2, "k", 5, 6, "x"),
                read(2, "k", 7, 8, "a")));
        assertThat(report.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.unknownOutcomes()).isEqualTo(1);
        assertThat(report.violations().get(0)).contains("p1 WRITE 'x' unknown (timeout) [2.000 .. ? ms]");
    }

    @Test
    void aFailedWriteThatIsSeenIsAViolation() {
        assertThat(check(List.of(failed(write(1, "k", "x", 0, 1)), read(2, "k", 2, 3, "x"))).verdict())
                .isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void aViolationOnOneKeyIsReportedWhileOtherKeysPass() {
        LinearizabilityReport report = check(List.of(
                write(1, "good", "a", 0, 1), read(1, "good", 2, 3, "a"),
                write(1, "bad", "a", 0, 1), read(2, "bad", 2, 3, null)));
        assertThat(report.verdict()).isEqualTo(Verdict.VIOLATION);
        assertThat(report.keys()).isEqualTo(2);
        assertThat(report.violations()).singleElement().asString().startsWith("key 'bad'");
        assertThatThrownBy(report::assertLinearizable).isInstanceOf(AssertionError.class)
                .hasMessageContaining("VIOLATION").hasMessageContaining("key 'bad'");
    }

    // ---- budget ----

    @Test
    void aSearchThatExceedsTheBudgetIsInconclusiveAndNamesTheKey() {
        // 22 concurrent writes, then two sequential reads that disagree: deciding this explores ~2^22 subsets
        List<RegisterOp> ops = new ArrayList<>();
        for (int p = 0; p < 22; p++) {
            ops.add(write(p, "hard", "v" + p, 0, 100));
        }
        ops.add(read(30, "hard", 200, 201, "v0"));
        ops.add(read(30, "hard", 202, 203, "v1"));
        ops.add(write(31, "easy", "x", 0, 1));
        long started = System.nanoTime();
        LinearizabilityReport report = LinearizabilityChecker.check(ops, Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.ok()).isFalse();
        assertThat(report.violations()).isEmpty();
        assertThat(report.inconclusiveKeys()).singleElement().asString()
                .startsWith("key 'hard': undecided when the budget ran out");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> LinearizabilityChecker.check(List.of(), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget");
        assertThatThrownBy(() -> LinearizabilityChecker.check(null, BUDGET)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> write(1, "k", "a", 5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completes before it was invoked");
    }

    // ---- generated histories ----

    @Test
    void randomHistoriesFromASequentialSimulationAreLinearizable() {
        for (long seed = 1; seed <= 20; seed++) {
            List<RegisterOp> ops = new SimulatedRegisters(seed, 12, 3, 0.03, 0.02).run(600);
            LinearizabilityReport report = check(ops);
            assertThat(report.verdict()).as("seed " + seed + ": " + report).isEqualTo(Verdict.LINEARIZABLE);
            assertThat(report.keys()).isEqualTo(3);
        }
    }

    @Test
    void aGeneratedHistoryWithOneStaleReadIsAViolation() {
        for (long seed = 1; seed <= 20; seed++) {
            List<RegisterOp> ops = new ArrayList<>(new SimulatedRegisters(seed, 12, 3, 0.03, 0.02).run(600));
            int corrupted = corruptOneRead(ops, new Random(seed));
            LinearizabilityReport report = check(ops);
            assertThat(report.verdict()).as("seed " + seed + ", corrupted " + ops.get(corrupted) + ": " + report)
                    .isEqualTo(Verdict.VIOLATION);
            assertThat(report.violations()).singleElement().asString()
                    .startsWith("key '" + ops.get(corrupted).key() + "'");
        }
    }

    @Test
    void aGeneratedHistoryWithOneReadOfAnUnwrittenValueIsAViolation() {
        List<RegisterOp> ops = new ArrayList<>(new SimulatedRegisters(7, 16, 4, 0.01, 0.01).run(2_000));
        int i = indexOfOkRead(ops, ops.size() / 2);
        RegisterOp read = ops.get(i);
        ops.set(i, new RegisterOp(read.process(), read.kind(), read.key(), null, null, read.invokeNanos(),
                read.completeNanos(), Outcome.OK, "corrupt", false, null));
        assertThat(check(ops).verdict()).isEqualTo(Verdict.VIOLATION);
    }

    @Test
    void manyProcessesOnManyKeysAreCheckedInBoundedTime() {
        List<RegisterOp> ops = new SimulatedRegisters(42, 8, 16, 0.01, 0.01).run(5_000);
        LinearizabilityReport report = LinearizabilityChecker.check(ops, Duration.ofSeconds(60));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.operations()).isEqualTo(5_000);
    }

    @Test
    @Tag("timing")
    void twentyThousandOperationsOnSixtyFourKeysAreCheckedWellUnderTenSeconds() {
        List<RegisterOp> ops = new SimulatedRegisters(2026, 8, 64, 0.01, 0.005).run(20_000);
        LinearizabilityReport report = LinearizabilityChecker.check(ops, Duration.ofSeconds(60));
        System.out.println("20,000 ops / 64 keys / 8 processes: " + report.summary());
        assertThat(report.verdict()).as(report.toString()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(report.unknownOutcomes()).isBetween(100, 300);
        assertThat(report.took()).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * Replaces one OK read by a stale read that no linearization allows: it returns the value of a write that was
     * overwritten by another completed write before the read began. Returns the index.
     */
    private static int corruptOneRead(List<RegisterOp> ops, Random random) {
        List<Integer> reads = new ArrayList<>();
        for (int r = 0; r < ops.size(); r++) {
            if (ops.get(r).kind() == Kind.READ && ops.get(r).outcome() == Outcome.OK) {
                reads.add(r);
            }
        }
        java.util.Collections.shuffle(reads, random);
        for (int r : reads) {
            RegisterOp read = ops.get(r);
            for (RegisterOp second : ops) {
                if (!second.key().equals(read.key()) || second.outcome() != Outcome.OK || !second.mayHaveWritten()
                        || second.completeNanos() >= read.invokeNanos()) {
                    continue;
                }
                for (RegisterOp first : ops) {
                    if (first.key().equals(read.key()) && first.outcome() == Outcome.OK && first.mayHaveWritten()
                            && first.completeNanos() < second.invokeNanos()
                            && !Objects.equals(first.value(), read.readValue())) {
                        ops.set(r, new RegisterOp(read.process(), read.kind(), read.key(), null, null,
                                read.invokeNanos(), read.completeNanos(), Outcome.OK, first.value(), false, null));
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no read can be made stale");
    }

    private static int indexOfOkRead(List<RegisterOp> ops, int from) {
        for (int i = from; i < ops.size(); i++) {
            if (ops.get(i).kind() == Kind.READ && ops.get(i).outcome() == Outcome.OK) {
                return i;
            }
        }
        throw new AssertionError("no OK read after " + from);
    }

    // ---- history building, times in ms ----

    private static LinearizabilityReport check(List<RegisterOp> ops) {
        return LinearizabilityChecker.check(ops, BUDGET);
    }

    static RegisterOp read(int process, String key, long startMs, long endMs, String seen) {
        return new RegisterOp(process, Kind.READ, key, null, null, startMs * MS, endMs * MS, Outcome.OK, seen, false,
                null);
    }

    static RegisterOp write(int process, String key, String value, long startMs, long endMs) {
        return new RegisterOp(process, Kind.WRITE, key, null, value, startMs * MS, endMs * MS, Outcome.OK, null,
                false, null);
    }

    static RegisterOp cas(int process, String key, String expected, String value, long startMs, long endMs,
                          boolean applied) {
        return new RegisterOp(process, Kind.CAS, key, expected, value, startMs * MS, endMs * MS, Outcome.OK, null,
                applied, null);
    }

    static RegisterOp unknownWrite(int process, String key, String value, long startMs, long gaveUpMs) {
        return new RegisterOp(process, Kind.WRITE, key, null, value, startMs * MS, gaveUpMs * MS, Outcome.UNKNOWN,
                null, false, "timeout");
    }

    static RegisterOp failed(RegisterOp op) {
        return new RegisterOp(op.process(), op.kind(), op.key(), op.expected(), op.value(), op.invokeNanos(),
                op.completeNanos(), Outcome.FAILED, null, false, "refused");
    }
}
