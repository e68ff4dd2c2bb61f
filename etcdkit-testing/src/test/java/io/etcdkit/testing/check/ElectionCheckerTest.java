package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ElectionCheckerTest {

    private static final Optional<String> NONE = Optional.empty();

    private final ElectionChecker checker = new ElectionChecker();

    @Test
    void aCleanSuccessionIsClean() {
        checker.observed("o1", NONE, 0);
        checker.observed("o1", Optional.of("a"), 5);
        checker.observed("o2", Optional.of("a"), 5);
        checker.observed("o1", NONE, 0);
        checker.observed("o1", Optional.of("b"), 9);
        checker.observed("o2", Optional.of("b"), 9);
        checker.observed("o2", Optional.of("b"), 11); // b re-elected with a new key

        ElectionChecker.Report report = checker.check();

        report.assertClean();
        assertThat(report.leaderships()).isEqualTo(3);
        assertThat(report.summary()).isEqualTo(
                "7 reports to 2 observers about 3 leaderships, 0 repeated, 0 backwards, 0 conflicting");
    }

    @Test
    void theSameLeadershipTwiceInARowIsRepeated() {
        checker.observed("o1", Optional.of("a"), 5);
        checker.observed("o1", Optional.of("a"), 5);

        ElectionChecker.Report report = checker.check();

        assertThat(report.repeated().samples()).containsExactly("o1 was told leader a at revision 5 twice in a row (report #2)");
        assertThatThrownBy(report::assertClean).hasMessageContaining("1 repeated:");
    }

    @Test
    void noLeaderTwiceInARowIsRepeated() {
        checker.observed("o1", NONE, 0);
        checker.observed("o1", NONE, 0);

        assertThat(checker.check().repeated().samples()).containsExactly("o1 was told 'no leader' twice in a row (report #2)");
    }

    @Test
    void aLowerRevisionAfterAHigherOneIsBackwards() {
        checker.observed("o1", Optional.of("b"), 9);
        checker.observed("o1", NONE, 0);
        checker.observed("o1", Optional.of("a"), 5);

        ElectionChecker.Report report = checker.check();

        assertThat(report.backwards().samples()).containsExactly(
                "o1 was told leader a at revision 5 after leader b at revision 9 (report #3)");
        assertThat(report.repeated().isEmpty()).isTrue();
    }

    @Test
    void twoLeadersClaimingOneRevisionConflict() {
        checker.observed("o1", Optional.of("a"), 5);
        checker.observed("o2", Optional.of("b"), 5);
        checker.observed("o3", Optional.of("b"), 5);

        ElectionChecker.Report report = checker.check();

        assertThat(report.conflicting().samples()).containsExactly(
                "revision 5 claimed by leader a (told to o1) and by leader b (told to o2)");
    }

    @Test
    void concurrentObserversAreRecordedSafely() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int o = 0; o < 8; o++) {
            String observer = "o" + o;
            done.add(pool.submit(() -> {
                for (int term = 1; term <= 10_000; term++) {
                    checker.observed(observer, Optional.of("leader" + (term % 3)), term);
                    checker.observed(observer, NONE, 0);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        ElectionChecker.Report report = checker.check();

        report.assertClean();
        assertThat(report.leaderships()).isEqualTo(10_000);
    }
}
