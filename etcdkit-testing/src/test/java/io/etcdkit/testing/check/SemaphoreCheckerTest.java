package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SemaphoreCheckerTest {

    @Test
    void stayingWithinTheLimitIsClean() {
        SemaphoreChecker checker = new SemaphoreChecker(2);
        checker.entered("a");
        checker.entered("b");
        checker.left("a");
        checker.entered("c");
        checker.left("b");
        checker.left("c");

        SemaphoreChecker.Report report = checker.check();

        report.assertClean();
        assertThat(checker.maxConcurrent()).isEqualTo(2);
        assertThat(report.summary()).isEqualTo("3 entries, max 2 concurrent (limit 2), 0 over the limit, 0 unbalanced,"
                + " 0 still inside");
    }

    @Test
    void exceedingTheLimitIsReported() {
        SemaphoreChecker checker = new SemaphoreChecker(2);
        checker.entered("b");
        checker.entered("a");
        checker.entered("c");

        SemaphoreChecker.Report report = checker.check();

        assertThat(report.maxConcurrent()).isEqualTo(3);
        assertThat(report.overLimit().samples()).containsExactly(
                "entry #3 by c made 3 holders inside, limit 2: [a, b, c]");
        assertThatThrownBy(report::assertClean).hasMessageContaining("1 over limit:");
    }

    @Test
    void leavingWithoutEnteringIsUnbalanced() {
        SemaphoreChecker checker = new SemaphoreChecker(1);
        checker.entered("a");
        checker.left("b");

        assertThat(checker.check().unbalanced().samples()).containsExactly("b left without being inside (event #2)");
    }

    @Test
    void aLimitBelowOneIsRejected() {
        assertThatThrownBy(() -> new SemaphoreChecker(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRealSemaphoreUnderContentionIsClean() throws Exception {
        SemaphoreChecker checker = new SemaphoreChecker(3);
        Semaphore permits = new Semaphore(3);
        runHolders(8, 2_000, holder -> {
            permits.acquireUninterruptibly();
            try {
                checker.entered(holder);
                Thread.onSpinWait();
                checker.left(holder);
            } finally {
                permits.release();
            }
        });

        checker.check().assertClean();
        assertThat(checker.maxConcurrent()).isBetween(1, 3);
    }

    @Test
    void aBrokenSemaphoreIsCaught() throws Exception {
        SemaphoreChecker checker = new SemaphoreChecker(3);
        CountDownLatch allInside = new CountDownLatch(5);
        runHolders(5, 1, holder -> {
            checker.entered(holder);
            allInside.countDown();
            try {
                allInside.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            checker.left(holder);
        });

        SemaphoreChecker.Report report = checker.check();
        assertThat(report.maxConcurrent()).isEqualTo(5);
        assertThat(report.overLimit().count()).isEqualTo(2);
    }

    private interface Body {
        void run(String holder);
    }

    private static void runHolders(int threads, int rounds, Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String holder = "h" + t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    body.run(holder);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }
}
