package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

class FencingCheckerTest {

    private final AtomicLong nanos = new AtomicLong();
    private final FencingChecker checker = new FencingChecker(0, nanos::get);

    private void at(double seconds) {
        nanos.set((long) (seconds * 1e9));
    }

    @Test
    void aCleanHandOverIsClean() {
        at(0);
        checker.waiting("a");
        checker.acquired("a", 10);
        at(0.1);
        checker.waiting("b");
        checker.guardedWrite("a", 10, 0, 1);
        checker.released("a", 10);
        at(0.2);
        checker.acquired("b", 12);
        checker.guardedWrite("b", 12, 1, 2);
        checker.guardedWrite("b", 12, 2, 3);
        checker.released("b", 12);

        FencingChecker.Report report = checker.check(3);

        report.assertClean();
        assertThat(report.acquisitions()).isEqualTo(2);
        assertThat(report.acceptedWrites()).isEqualTo(3);
        assertThat(report.maxConcurrentHolders()).isEqualTo(1);
        assertThat(report.summary()).isEqualTo("2 acquisitions of 2 tokens, 3 accepted writes, 0 fencing violations,"
                + " 0 lost increments, 0 reused tokens, 0 unheld writes, max 1 holder at once,"
                + " longest free-while-waiting gap 0.100 s, final register value 3");
    }

    @Test
    void aStaleHoldersWriteAcceptedAfterANewerOneIsAFencingViolation() {
        checker.acquired("a", 10);
        checker.released("a", 10); // the test let a's session expire
        checker.acquired("b", 12);
        checker.guardedWrite("b", 12, 0, 1);
        checker.guardedWrite("a", 10, 1, 2); // the guard let a's stale write through

        FencingChecker.Report report = checker.check(2);

        assertThat(report.fencingViolations().samples()).containsExactly("the write by a with token 10 at register"
                + " value 1 was accepted after the write by b with token 12 at register value 0: a stale holder's"
                + " write got through");
        assertThat(report.lostIncrements().isEmpty()).isTrue();
        assertThatThrownBy(report::assertClean).hasMessageContaining("1 fencing violations:");
    }

    @Test
    void theRegisterOrderNotTheRecordingOrderDecides() {
        checker.acquired("a", 10);
        checker.released("a", 10);
        checker.acquired("b", 12);
        checker.guardedWrite("b", 12, 1, 2); // recorded first, but accepted second
        checker.guardedWrite("a", 10, 0, 1);

        checker.check(2).assertClean();
    }

    @Test
    void twoWritesAcceptedAtTheSameValueLoseAnIncrement() {
        checker.acquired("a", 10);
        checker.acquired("b", 12);
        checker.guardedWrite("a", 10, 0, 1);
        checker.guardedWrite("b", 12, 0, 1);

        FencingChecker.Report report = checker.check(1);

        assertThat(report.lostIncrements().samples()).containsExactly(
                "the write by a with token 10 at register value 0 and the write by b with token 12 at register value 0"
                        + " were both accepted: one overwrote the other",
                "the register ends at 1 but started at 0 with 2 accepted writes, so it should be 2: 1 increment(s) lost");
        assertThat(report.maxConcurrentHolders()).isEqualTo(2);
    }

    @Test
    void aFinalValueBelowTheAcceptedWritesIsALostIncrement() {
        FencingChecker fromFive = new FencingChecker(5, nanos::get);
        fromFive.acquired("a", 10);
        fromFive.guardedWrite("a", 10, 5, 6);
        fromFive.guardedWrite("a", 10, 6, 7);

        fromFive.check(7).assertClean();
        assertThat(fromFive.check(6).lostIncrements().samples()).containsExactly(
                "the register ends at 6 but started at 5 with 2 accepted writes, so it should be 7: 1 increment(s) lost");
        assertThat(fromFive.check(8).lostIncrements().samples()).containsExactly("the register ends at 8 but started at"
                + " 5 with 2 accepted writes, so it should be 7: 1 increment(s) more than recorded (an accepted write"
                + " not recorded?)");
        assertThat(fromFive.check().summary()).endsWith("final register value not checked");
    }

    @Test
    void aWriteThatDoesNotAddOneIsALostIncrement() {
        checker.acquired("a", 10);
        checker.guardedWrite("a", 10, 0, 5);

        assertThat(checker.check().lostIncrements().samples()).containsExactly(
                "the write by a with token 10 at register value 0 set it to 5; each accepted write must add exactly 1");
    }

    @Test
    void aTokenAcquiredByTwoHoldersIsReused() {
        checker.acquired("a", 10);
        checker.released("a", 10);
        checker.acquired("b", 10);

        assertThat(checker.check().reusedTokens().samples()).containsExactly("token 10 acquired by [a, b]");
    }

    @Test
    void aWriteWithAnotherHoldersTokenIsReused() {
        checker.acquired("a", 10);
        checker.guardedWrite("b", 10, 0, 1);

        assertThat(checker.check(1).reusedTokens().samples()).containsExactly(
                "token 10 acquired by [a] but used by b for an accepted write at register value 0");
    }

    @Test
    void aWriteWithATokenNobodyAcquiredIsUnheld() {
        checker.guardedWrite("rogue", 99, 0, 1);

        FencingChecker.Report report = checker.check(1);

        assertThat(report.unheldWrites().samples()).containsExactly(
                "the write by rogue with token 99 at register value 0 carried a token no holder acquired");
        assertThat(report.findings()).filteredOn(f -> !f.isEmpty()).extracting(Findings::name)
                .containsExactly("unheld writes");
    }

    @Test
    void theAcquisitionGapIsTheTimeTheLockWasFreeWhileSomeoneWaited() {
        at(0);
        checker.acquired("a", 10);
        at(1);
        checker.waiting("b");
        at(2);
        checker.released("a", 10); // killed by the test
        at(3.5);
        checker.acquired("b", 12);
        at(4);
        checker.released("b", 12);
        at(9);
        checker.waiting("c"); // the lock was free but nobody waited from 4 to 9
        at(9.25);
        checker.acquired("c", 14);
        at(20);

        assertThat(checker.acquisitionGaps()).isEqualTo(Duration.ofMillis(1500));
        FencingChecker.Report report = checker.check();
        assertThat(report.longestAcquisitionGap()).isEqualTo(Duration.ofMillis(1500));
        report.assertAcquirableWithin(Duration.ofSeconds(2));
        assertThatThrownBy(() -> report.assertAcquirableWithin(Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the lock stayed free for 1.500 s while someone waited, more than 1.000 s");
    }

    @Test
    void aGapStillOpenCountsUntilNowAndAGiveUpClosesIt() {
        at(0);
        checker.waiting("a");
        at(3);
        assertThat(checker.acquisitionGaps()).isEqualTo(Duration.ofSeconds(3));
        assertThat(checker.check().summary()).contains("3.000 s (still open)");
        at(4);
        checker.stoppedWaiting("a");
        at(10);
        assertThat(checker.acquisitionGaps()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void anOverlapThatFencingStoppedIsClean() {
        checker.acquired("a", 10);
        checker.acquired("b", 12); // a's lease expired, a does not know yet
        checker.guardedWrite("b", 12, 0, 1);
        checker.released("a", 10); // a's write with token 10 was rejected, so not recorded
        checker.released("b", 12);

        FencingChecker.Report report = checker.check(1);

        report.assertClean();
        assertThat(report.summary()).contains("max 2 holders at once");
    }

    @Test
    void manyThreadsRecordingAroundARealLockIsClean() throws Exception {
        FencingChecker real = new FencingChecker();
        ReentrantLock lock = new ReentrantLock(true);
        AtomicLong tokens = new AtomicLong();
        long[] register = {0};
        int threads = 8;
        int rounds = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String holder = "h" + t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    real.waiting(holder);
                    lock.lock();
                    try {
                        long token = tokens.incrementAndGet();
                        real.acquired(holder, token);
                        long before = register[0];
                        register[0] = before + 1;
                        real.guardedWrite(holder, token, before, before + 1);
                        real.released(holder, token);
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        FencingChecker.Report report = real.check(register[0]);

        report.assertClean();
        assertThat(report.acceptedWrites()).isEqualTo((long) threads * rounds);
        assertThat(report.maxConcurrentHolders()).isEqualTo(1);
    }
}
