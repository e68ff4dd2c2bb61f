package io.etcdkit.testing.check;

import static io.etcdkit.testing.check.WatchDeliveryChecker.Kind.DELETE;
import static io.etcdkit.testing.check.WatchDeliveryChecker.Kind.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class WatchDeliveryCheckerTest {

    private final WatchDeliveryChecker checker = new WatchDeliveryChecker();

    /** Acknowledges and delivers one write. */
    private void both(String key, long revision, WatchDeliveryChecker.Kind kind, String value) {
        checker.acknowledged(key, revision, kind, value);
        checker.delivered(key, revision, kind, value);
    }

    /** a@2, b@3, txn {c, d}@4, delete a@5: store ends as {b, c, d}. */
    private void acknowledgeBasicHistory() {
        checker.acknowledged("a", 2, PUT, "a1");
        checker.acknowledged("b", 3, PUT, "b1");
        checker.acknowledged("c", 4, PUT, "c1");
        checker.acknowledged("d", 4, PUT, "d1");
        checker.acknowledged("a", 5, DELETE, null);
    }

    private static final Map<String, String> BASIC_STORE = Map.of("b", "b1", "c", "c1", "d", "d1");

    @Test
    void aCleanHistoryWithATransactionAndADeleteIsClean() {
        acknowledgeBasicHistory();
        checker.delivered("a", 2, PUT, "a1");
        checker.delivered("b", 3, PUT, "b1");
        checker.delivered("d", 4, PUT, "d1");
        checker.delivered("c", 4, PUT, "c1");
        checker.delivered("a", 5, DELETE, null);

        WatchDeliveryChecker.Report report = checker.check(2, 5, BASIC_STORE);

        report.assertClean();
        assertThat(report.deliveredCount()).isEqualTo(5);
        assertThat(report.summary()).startsWith("delivered 5 events, 0 lost, 0 duplicated, 0 out of order, 0 unexpected,"
                + " view matches the store (3 keys), 0 compactions, 0 disconnects");
        assertThat(report.toString()).startsWith("WatchDeliveryChecker: clean: ");
    }

    @Test
    void anAcknowledgedWriteNeverDeliveredIsLost() {
        acknowledgeBasicHistory();
        checker.delivered("a", 2, PUT, "a1");
        checker.delivered("c", 4, PUT, "c1");
        checker.delivered("d", 4, PUT, "d1");
        checker.delivered("a", 5, DELETE, null);

        WatchDeliveryChecker.Report report = checker.check(2, 5, BASIC_STORE);

        assertThat(report.lost().count()).isEqualTo(1);
        assertThat(report.lost().samples()).containsExactly("b@3 PUT 'b1' was acknowledged but never delivered");
        assertThat(report.view().samples()).containsExactly("b: the store has 'b1', the stream's view lacks the key");
        assertThatThrownBy(report::assertClean).isInstanceOf(AssertionError.class)
                .hasMessageContaining("FAILED")
                .hasMessageContaining("1 lost:")
                .hasMessageContaining("b@3 PUT 'b1' was acknowledged but never delivered");
    }

    @Test
    void writesOutsideTheWindowAreNotJudged() {
        checker.acknowledged("early", 1, PUT, "x");
        both("a", 2, PUT, "a1");
        checker.acknowledged("late", 9, PUT, "y");

        WatchDeliveryChecker.Report report = checker.check(2, 5, null);

        report.assertClean();
        assertThat(report.summary()).contains("view not checked");
    }

    @Test
    void theSameKeyAndRevisionDeliveredTwiceIsDuplicated() {
        acknowledgeBasicHistory();
        checker.delivered("a", 2, PUT, "a1");
        checker.delivered("b", 3, PUT, "b1");
        checker.delivered("c", 4, PUT, "c1");
        checker.delivered("d", 4, PUT, "d1");
        checker.delivered("c", 4, PUT, "c1");
        checker.delivered("a", 5, DELETE, null);

        WatchDeliveryChecker.Report report = checker.check(2, 5, BASIC_STORE);

        assertThat(report.duplicated().samples()).containsExactly("c@4 delivered 2 times");
        assertThat(report.outOfOrder().isEmpty()).isTrue();
        assertThat(report.lost().isEmpty()).isTrue();
        assertThat(report.unexpected().isEmpty()).isTrue();
    }

    @Test
    void aLowerRevisionAfterAHigherOneIsOutOfOrderButEqualRevisionsAreFine() {
        acknowledgeBasicHistory();
        checker.delivered("a", 2, PUT, "a1");
        checker.delivered("c", 4, PUT, "c1");
        checker.delivered("b", 3, PUT, "b1");
        checker.delivered("d", 4, PUT, "d1");
        checker.delivered("a", 5, DELETE, null);

        WatchDeliveryChecker.Report report = checker.check(2, 5, BASIC_STORE);

        assertThat(report.outOfOrder().samples()).containsExactly("b@3 PUT 'b1' delivered after revision 4");
        assertThat(report.findings()).filteredOn(f -> !f.isEmpty()).extracting(Findings::name)
                .containsExactly("out of order");
    }

    @Test
    void anEventNoWriteExplainsIsUnexpected() {
        both("a", 2, PUT, "a1");
        checker.delivered("ghost", 3, PUT, "boo");

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of("a", "a1", "ghost", "boo"));

        assertThat(report.unexpected().samples())
                .containsExactly("ghost@3 PUT 'boo': no acknowledged or unknown-outcome write explains it");
        assertThat(report.view().isEmpty()).isTrue();
    }

    @Test
    void anEventContradictingTheAcknowledgedWriteIsUnexpected() {
        checker.acknowledged("a", 2, PUT, "right");
        checker.delivered("a", 2, PUT, "wrong");
        checker.acknowledged("b", 3, PUT, "b1");
        checker.delivered("b", 3, DELETE, null);

        WatchDeliveryChecker.Report report = checker.check(2, 3, null);

        assertThat(report.unexpected().samples()).containsExactly(
                "a@2 PUT 'wrong' contradicts the acknowledged write a@2 PUT 'right'",
                "b@3 DELETE contradicts the acknowledged write b@3 PUT 'b1'");
        assertThat(report.lost().isEmpty()).isTrue();
    }

    @Test
    void aViewThatDiffersFromTheStoreIsReported() {
        both("a", 2, PUT, "a1");
        both("b", 3, PUT, "b1");

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of("a", "a2", "z", "z1"));

        assertThat(report.view().samples()).containsExactly(
                "a: the store has 'a2', the stream's view has 'a1'",
                "b: not in the store, but the stream's view has 'b1'",
                "z: the store has 'z1', the stream's view lacks the key");
        assertThat(report.summary()).contains("view differs from the store at 3 keys");
    }

    @Test
    void eventsAfterTheWindowDoNotChangeTheView() {
        both("a", 2, PUT, "a1");
        both("a", 7, PUT, "a2");

        checker.check(2, 5, Map.of("a", "a1")).assertClean();
    }

    @Test
    void anUnknownOutcomeWriteDeliveredOnceIsClean() {
        both("a", 2, PUT, "a1");
        checker.unknown("b", "b1");
        checker.unknown("c", "c1");
        checker.delivered("b", 3, PUT, "b1");

        checker.check(2, 3, Map.of("a", "a1", "b", "b1")).assertClean();
    }

    @Test
    void anUnknownOutcomeWriteInTheStoreButNeverDeliveredIsLost() {
        both("a", 2, PUT, "a1");
        checker.unknown("b", "b1");

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of("a", "a1", "b", "b1"));

        assertThat(report.lost().samples()).containsExactly(
                "unknown-outcome write b='b1' is in the store at revision 3 but was never delivered");
    }

    @Test
    void anUnknownOutcomeWriteAppliedTwiceIsDuplicated() {
        checker.unknown("b", "b1");
        checker.delivered("b", 3, PUT, "b1");
        checker.delivered("b", 4, PUT, "b1");

        WatchDeliveryChecker.Report report = checker.check(2, 4, Map.of("b", "b1"));

        assertThat(report.duplicated().samples()).containsExactly(
                "unknown-outcome write b='b1' (recorded 1 time) applied at 2 revisions: [3, 4]");
    }

    @Test
    void anUnknownOutcomeDeleteExplainsALeaseExpiry() {
        both("session", 2, PUT, "me");
        checker.unknown("session", null);
        checker.delivered("session", 9, DELETE, null);

        checker.check(2, 9, Map.of()).assertClean();
    }

    @Test
    void anAcknowledgedWriteAppliedAgainAtAnotherRevisionIsDuplicated() {
        checker.delivered("a", 2, PUT, "a1");
        both("a", 3, PUT, "a1");

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of("a", "a1"));

        assertThat(report.duplicated().samples()).containsExactly(
                "a@2 PUT 'a1' applied again: the same write was acknowledged at revision [3]");
    }

    @Test
    void aSnapshotStartsTheViewAndEventsItHoldsAreDuplicates() {
        checker.snapshot(Map.of("a", "a1", "b", "b1"), 5);
        both("a", 6, PUT, "a2");
        both("b", 7, DELETE, null);

        checker.check(6, 7, Map.of("a", "a2")).assertClean();

        checker.delivered("b", 5, PUT, "b1");
        WatchDeliveryChecker.Report report = checker.check(6, 7, Map.of("a", "a2"));
        assertThat(report.duplicated().samples()).containsExactly(
                "b@5 PUT 'b1' delivered although the snapshot at revision 5 holds it");
        assertThat(report.outOfOrder().count()).isEqualTo(1);
    }

    @Test
    void aSnapshotMustComeFirstAndOnlyOnce() {
        checker.snapshot(Map.of(), 1);
        assertThatThrownBy(() -> checker.snapshot(Map.of(), 2)).isInstanceOf(IllegalStateException.class);

        WatchDeliveryChecker other = new WatchDeliveryChecker();
        other.disconnected();
        assertThatThrownBy(() -> other.snapshot(Map.of(), 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before any delivery");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> checker.check(5, 4, Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checker.acknowledged("a", 0, PUT, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checker.delivered("a", 3, PUT, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> checker.delivered(null, 3, DELETE, null)).isInstanceOf(NullPointerException.class);
    }

    /**
     * Live events up to 3; compaction; in the gap: a@4 (superseded by a@5), b@6 put and b@7 delete (the consumer
     * never had b), c@8 delete of a key it had. The resync at 8 emits a@5 and the delete of c; live d@9 follows.
     */
    private void compactionGapHistory(boolean resyncEmitsA) {
        both("c", 2, PUT, "c1");
        both("x", 3, PUT, "x1");
        checker.acknowledged("a", 4, PUT, "a1");
        checker.acknowledged("a", 5, PUT, "a2");
        checker.acknowledged("b", 6, PUT, "b1");
        checker.acknowledged("b", 7, DELETE, null);
        checker.acknowledged("c", 8, DELETE, null);
        checker.disconnected();
        checker.compacted(7);
        checker.resynced(8);
        if (resyncEmitsA) {
            checker.delivered("a", 5, PUT, "a2");
        }
        checker.delivered("c", 8, DELETE, null);
        checker.resumed();
        both("d", 9, PUT, "d1");
    }

    private static final Map<String, String> GAP_STORE = Map.of("a", "a2", "x", "x1", "d", "d1");

    @Test
    void aCompactionCoveredByAResyncIsCleanWhenTheResyncEmitsTheLastWrites() {
        compactionGapHistory(true);

        WatchDeliveryChecker.Report report = checker.check(2, 9, GAP_STORE);

        report.assertClean();
        assertThat(report.compactions()).isEqualTo(1);
        assertThat(report.unresolvedCompactions()).isZero();
        assertThat(report.excusedInCompactionGaps()).isEqualTo(3);
        assertThat(report.summary()).contains("1 compaction (resynced), 1 disconnect, 3 superseded in compaction gaps");
    }

    @Test
    void aResyncThatMissesTheLastWriteInTheGapLosesIt() {
        compactionGapHistory(false);

        WatchDeliveryChecker.Report report = checker.check(2, 9, GAP_STORE);

        assertThat(report.lost().samples()).containsExactly("a@5 PUT 'a2' was acknowledged inside the compaction gap"
                + " (3, 8] and is the last write to its key there, but the resync at revision 8 did not emit it");
        assertThat(report.view().samples()).containsExactly("a: the store has 'a2', the stream's view lacks the key");
    }

    @Test
    void aResyncMayEmitInAnyOrderButALaterLiveEventBelowItIsOutOfOrder() {
        both("c", 2, PUT, "c1");
        checker.acknowledged("a", 3, PUT, "a1");
        checker.acknowledged("c", 4, DELETE, null);
        checker.compacted(4);
        checker.resynced(4);
        checker.delivered("c", 4, DELETE, null);
        checker.delivered("a", 3, PUT, "a1");
        both("b", 5, PUT, "b1");

        checker.check(2, 5, Map.of("a", "a1", "b", "b1")).assertClean();

        checker.delivered("a", 3, PUT, "a1");
        WatchDeliveryChecker.Report report = checker.check(2, 5, Map.of("a", "a1", "b", "b1"));
        assertThat(report.outOfOrder().samples()).containsExactly("a@3 PUT 'a1' delivered after revision 5");
        assertThat(report.duplicated().samples()).containsExactly("a@3 delivered 2 times");
    }

    @Test
    void aResyncThatMissesADeleteOfAKeyTheConsumerHadLosesIt() {
        both("c", 2, PUT, "c1");
        checker.acknowledged("c", 3, DELETE, null);
        checker.compacted(3);
        checker.resynced(3);

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of());

        assertThat(report.lost().samples()).containsExactly("c@3 DELETE was acknowledged inside the compaction gap"
                + " (2, 3] and is the last write to its key there, but the resync at revision 3 did not emit it");
        assertThat(report.view().samples()).containsExactly("c: not in the store, but the stream's view has 'c1'");
    }

    @Test
    void aResyncThatReEmitsAnUnchangedKeyDuplicatesIt() {
        both("a", 2, PUT, "a1");
        checker.acknowledged("b", 3, PUT, "b1");
        checker.compacted(3);
        checker.resynced(3);
        checker.delivered("a", 2, PUT, "a1");
        checker.delivered("b", 3, PUT, "b1");

        WatchDeliveryChecker.Report report = checker.check(2, 3, Map.of("a", "a1", "b", "b1"));

        assertThat(report.duplicated().samples()).containsExactly("a@2 delivered 2 times");
        assertThat(report.findings()).filteredOn(f -> !f.isEmpty()).extracting(Findings::name)
                .containsExactly("duplicated");
    }

    @Test
    void aResyncMayReportPutsAtItsReadRevision() {
        both("x", 2, PUT, "x1");
        checker.acknowledged("a", 3, PUT, "a1");
        checker.acknowledged("x", 4, PUT, "x2");
        checker.compacted(4);
        checker.resynced(5);
        checker.delivered("x", 5, PUT, "x2");
        checker.delivered("a", 5, PUT, "a1");
        both("a", 6, PUT, "a2");

        checker.check(2, 6, Map.of("x", "x2", "a", "a2")).assertClean();
    }

    @Test
    void aResyncThatInventsAValueIsUnexpected() {
        both("x", 2, PUT, "x1");
        checker.acknowledged("x", 3, PUT, "x2");
        checker.compacted(3);
        checker.resynced(4);
        checker.delivered("x", 4, PUT, "bogus");

        WatchDeliveryChecker.Report report = checker.check(2, 4, Map.of("x", "x2"));

        assertThat(report.unexpected().samples()).containsExactly("x@4 PUT 'bogus' was emitted by the resync at"
                + " revision 4, but no such write at or before it was recorded");
        assertThat(report.lost().count()).isEqualTo(1);
        assertThat(report.view().count()).isEqualTo(1);
    }

    @Test
    void aCompactionNeverResyncedLosesTheWritesAfterIt() {
        both("a", 2, PUT, "a1");
        checker.acknowledged("a", 3, PUT, "a2");
        checker.compacted(3);
        both("a", 4, PUT, "a3");

        WatchDeliveryChecker.Report report = checker.check(2, 4, Map.of("a", "a3"));

        assertThat(report.lost().samples()).containsExactly(
                "a@3 PUT 'a2' was acknowledged but never delivered"
                        + " (it falls after the compaction at revision 3, which was never resynced)");
        assertThat(report.summary()).contains("1 compaction (1 not resynced)");
    }

    @Test
    void reportsAreSortedAndKeepABoundedNumberOfSamples() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int r = 1 + thread; r <= 500; r += 4) {
                    checker.acknowledged("k" + r, r, PUT, "v" + r);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        WatchDeliveryChecker.Report report = checker.check(1, 500, null);

        assertThat(report.lost().count()).isEqualTo(500);
        assertThat(report.lost().samples()).hasSize(Findings.SAMPLE_LIMIT);
        assertThat(report.lost().samples().get(0)).startsWith("k1@1 ");
        assertThat(report.lost().samples().get(99)).startsWith("k100@100 ");
        assertThat(report.toString()).contains("500 lost (first 10):").contains("k10@10 ").doesNotContain("k11@11 ");
        assertThatThrownBy(() -> report.assertClean(3)).hasMessageContaining("500 lost (first 3):")
                .hasMessageContaining("k3@3 ").hasMessageNotContaining("k4@4 ");
        assertThat(checker.check(1, 500, null).describe(100)).isEqualTo(report.describe(100));
    }

    @Test
    void concurrentWritersAndAWatcherAreRecordedSafely() throws Exception {
        int writers = 8;
        int perWriter = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    long revision = 2 + (long) i * writers + writer;
                    checker.acknowledged("w" + writer + "/" + (i % 100), revision, PUT, "v" + revision);
                }
            }));
        }
        done.add(pool.submit(() -> {
            for (long revision = 2; revision < 2 + (long) writers * perWriter; revision++) {
                long i = (revision - 2) / writers;
                long writer = (revision - 2) % writers;
                checker.delivered("w" + writer + "/" + (i % 100), revision, PUT, "v" + revision);
            }
        }));
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        WatchDeliveryChecker.Report report = checker.check(2, 1 + (long) writers * perWriter, null);

        report.assertClean();
        assertThat(report.deliveredCount()).isEqualTo((long) writers * perWriter);
    }

    @Tag("timing") // a wall-clock bound: reported, never fails the build (docs/testing.md)
    @Test
    void aMillionWritesAndDeliveriesAreJudgedQuickly() {
        int n = 1_000_000;
        Map<String, String> store = new HashMap<>();
        for (int r = 2; r < n + 2; r++) {
            String key = "key/" + (r % 10_000);
            String value = Integer.toString(r);
            checker.acknowledged(key, r, PUT, value);
            if (r != 777_777) {
                checker.delivered(key, r, PUT, value);
            }
            store.put(key, value);
        }
        long start = System.nanoTime();

        WatchDeliveryChecker.Report report = checker.check(2, n + 1, store);

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.lost().samples()).containsExactly("key/7777@777777 PUT '777777' was acknowledged but never delivered");
        assertThat(report.findings()).filteredOn(f -> !f.isEmpty()).extracting(Findings::name).containsExactly("lost");
        assertThat(millis).as("check() of 2 million records took %d ms", millis).isLessThan(15_000);
    }
}
