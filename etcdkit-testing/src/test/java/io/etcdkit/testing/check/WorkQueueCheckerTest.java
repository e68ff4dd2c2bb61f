package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkQueueCheckerTest {
    private final WorkQueueChecker checker = new WorkQueueChecker(3);

    private long count(WorkQueueChecker.Report report, String kind) {
        return report.findings().stream().filter(f -> f.name().equals(kind)).findFirst().orElseThrow().count();
    }

    @Test
    void aCleanRunWithARedeliveryAndADeadLetterIsClean() {
        checker.added("a", "p1", 0, 0);
        checker.added("b", "p1", 0, 1);
        checker.claimed("a", "c1", 10); // c1 dies: its claim expires
        checker.claimed("a", "c2", 20);
        checker.acked("a", "c2", 20);
        checker.claimed("b", "c1", 11);
        checker.nacked("b", "c1", 11);
        checker.claimed("b", "c2", 21);
        checker.nacked("b", "c2", 21);
        checker.claimed("b", "c3", 31);
        checker.nacked("b", "c3", 31);
        checker.deadLetter("b", 3);
        WorkQueueChecker.Report report = checker.check();
        report.assertClean();
        assertThat(report.added()).isEqualTo(2);
        assertThat(report.acked()).isEqualTo(1);
        assertThat(report.redelivered()).isEqualTo(3);
        assertThat(report.dead()).isEqualTo(1);
        assertThat(report.violations()).isZero();
    }

    @Test
    void aSecondAckIsADuplicate() {
        checker.added("a", "p", 0, 0);
        checker.claimed("a", "c1", 10);
        checker.acked("a", "c1", 10);
        checker.claimed("a", "c2", 20);
        checker.acked("a", "c2", 20);
        WorkQueueChecker.Report report = checker.check();
        assertThat(count(report, "duplicate acks")).isEqualTo(1);
        assertThat(count(report, "stale acks")).as("c1's ack came with an older token than c2's claim").isEqualTo(1);
        assertThatThrownBy(report::assertClean).isInstanceOf(AssertionError.class).hasMessageContaining("duplicate");
    }

    @Test
    void anAckWithAnExpiredClaimsTokenIsStale() {
        checker.added("a", "p", 0, 0);
        checker.claimed("a", "c1", 10);
        checker.claimed("a", "c2", 20);
        checker.acked("a", "c1", 10);
        assertThat(count(checker.check(), "stale acks")).isEqualTo(1);
    }

    @Test
    void anAckWithSomeoneElsesTokenIsStale() {
        checker.added("a", "p", 0, 0);
        checker.claimed("a", "c1", 10);
        checker.acked("a", "c2", 10);
        checker.nacked("a", "c3", 10);
        assertThat(count(checker.check(), "stale acks")).isEqualTo(2);
    }

    @Test
    void anItemNeitherAckedNorDeadNorLeftIsLost() {
        checker.added("a", "p", 0, 0);
        checker.added("b", "p", 0, 1);
        checker.added("c", "p", 0, 2);
        checker.claimed("a", "c1", 10);
        checker.leftInQueue("c");
        WorkQueueChecker.Report report = checker.check();
        assertThat(count(report, "lost items")).isEqualTo(2);
        assertThat(report.findings().get(2).samples()).anyMatch(s -> s.contains("item a"));
    }

    @Test
    void anAckWithoutAClaimOrOfAnUnknownItemIsUnprocessed() {
        checker.added("a", "p", 0, 0);
        checker.acked("a", "c1", 10);
        checker.claimed("x", "c1", 11);
        checker.acked("x", "c1", 11);
        checker.deadLetter("y", 3);
        assertThat(count(checker.check(), "unprocessed acks")).isEqualTo(3);
    }

    @Test
    void deadLettersMustBeExactlyTheItemsThatFailedTheLimit() {
        checker.added("early", "p", 0, 0); // dead after 2 failures
        checker.claimed("early", "c", 1);
        checker.nacked("early", "c", 1);
        checker.deadLetter("early", 2);
        checker.added("both", "p", 0, 1); // acked and dead
        checker.claimed("both", "c", 2);
        checker.acked("both", "c", 2);
        checker.deadLetter("both", 3);
        checker.added("late", "p", 0, 2); // acked on its 4th delivery
        for (long t = 10; t < 14; t++) {
            checker.claimed("late", "c", t);
        }
        checker.acked("late", "c", 13);
        assertThat(count(checker.check(), "wrong dead letters")).isEqualTo(3);
    }

    @Test
    void fifoIsCheckedPerPriorityAndProducerOnlyWhenExpected() {
        checker.added("a1", "p", 0, 0);
        checker.added("a2", "p", 0, 1);
        checker.added("hi", "p", 9, 2);
        checker.claimed("hi", "c", 5); // another priority: may go first
        checker.claimed("a2", "c", 6);
        checker.claimed("a1", "c", 7); // a1 was added first but taken after a2
        for (String id : new String[] {"a1", "a2", "hi"}) {
            checker.leftInQueue(id);
        }
        assertThat(count(checker.check(), "FIFO violations")).isZero();
        checker.expectFifo();
        WorkQueueChecker.Report report = checker.check();
        assertThat(count(report, "FIFO violations")).isEqualTo(1);
        assertThat(report.findings().get(5).samples().get(0)).contains("a1");
    }

    @Test
    void anAckWithAnUnrecordedAnswerAccountsForAnItemOnlyWhenNothingElseDoes() {
        checker.added("gone", "p", 0, 0);
        checker.claimed("gone", "killed", 10);
        checker.ackOutcomeUnknown("gone", "killed", 10); // killed while acking; the item is gone from the store
        checker.added("redone", "p", 0, 1);
        checker.claimed("redone", "killed", 11);
        checker.ackOutcomeUnknown("redone", "killed", 11); // its ack did not apply: someone else acked later
        checker.claimed("redone", "c2", 20);
        checker.acked("redone", "c2", 20);
        checker.added("staleUnknown", "p", 0, 2);
        checker.claimed("staleUnknown", "killed", 12);
        checker.claimed("staleUnknown", "c2", 21);
        checker.ackOutcomeUnknown("staleUnknown", "killed", 12); // would be the stale holder's ack
        WorkQueueChecker.Report report = checker.check();
        assertThat(report.unknownAcksCounted()).isEqualTo(2);
        assertThat(count(report, "duplicate acks")).isZero();
        assertThat(count(report, "lost items")).isZero();
        assertThat(count(report, "stale acks")).isEqualTo(1);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new WorkQueueChecker(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
