package io.etcdkit.recipes.atomic;

import static io.etcdkit.recipes.atomic.FaultyClient.Fault.ACTION_FIRST;
import static io.etcdkit.recipes.atomic.FaultyClient.Fault.APPLY_THEN_LOSE_ANSWER;
import static io.etcdkit.recipes.atomic.FaultyClient.Fault.LOSE_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unknown outcomes on cue: {@link FaultyClient} makes chosen commits fail with {@link OutcomeUnknownException}
 * after, instead of, or before reaching etcd, and the counter must end up applied exactly once every time.
 */
@Timeout(30)
class UnknownOutcomeResolutionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;

    private FaultyClient faulty;
    private String key;
    private AtomicCounter counter;
    /** The same counter through the plain client: the "other writers". */
    private AtomicCounter others;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void setUp() {
        faulty = new FaultyClient(client);
        key = "counters/" + UUID.randomUUID();
        counter = AtomicCounter.of(faulty.client(), key);
        others = AtomicCounter.of(client, key);
    }

    private Runnable othersIncrement(int times) {
        return () -> {
            for (int i = 0; i < times; i++) {
                others.incrementAndGet();
            }
        };
    }

    @Test
    void appliedButAnswerLostIsReportedAsApplied() {
        others.set(10);
        faulty.then(APPLY_THEN_LOSE_ANSWER);

        assertThat(counter.incrementAndGet()).isEqualTo(11);
        assertThat(others.get()).isEqualTo(11);
        assertThat(faulty.writesSent()).as("never sent again").isEqualTo(1);
    }

    @Test
    void requestLostBeforeApplyingIsSentAgainAndALateCopyCannotApplyToo() {
        faulty.then(LOSE_REQUEST);

        assertThat(counter.incrementAndGet()).isEqualTo(1);

        // The first copy arrives late, after the counter already applied the increment through its resend.
        assertThat(faulty.sendHeld()).singleElement().extracting(TxnResult::succeeded).isEqualTo(false);
        assertThat(others.get()).isEqualTo(1);
    }

    @Test
    void lateCopyArrivingJustBeforeTheResendCounts() {
        faulty.then(LOSE_REQUEST).then(ACTION_FIRST, faulty::sendHeld);

        assertThat(counter.incrementAndGet()).isEqualTo(1);
        assertThat(others.get()).isEqualTo(1);
    }

    @Test
    void appliedThenOthersWroteIsFoundAppliedInHistory() {
        faulty.then(APPLY_THEN_LOSE_ANSWER, othersIncrement(3));

        assertThat(counter.incrementAndGet()).as("the value this increment wrote").isEqualTo(1);
        assertThat(others.get()).isEqualTo(4);
        assertThat(faulty.writesSent()).isEqualTo(1);
    }

    @Test
    void lostThenOthersWroteIsFoundNotAppliedAndRetried() {
        faulty.then(LOSE_REQUEST, othersIncrement(3));

        assertThat(counter.incrementAndGet()).isEqualTo(4);
        assertThat(faulty.sendHeld()).singleElement().extracting(TxnResult::succeeded).isEqualTo(false);
        assertThat(others.get()).isEqualTo(4);
    }

    @Test
    void lostThenAPlainPutByAnotherToolIsRetriedOnTheNewValue() {
        others.set(5);
        faulty.then(LOSE_REQUEST, () -> client.kv().put(key, "100"));

        assertThat(counter.incrementAndGet()).isEqualTo(101);
        assertThat(faulty.sendHeld()).singleElement().extracting(TxnResult::succeeded).isEqualTo(false);
        assertThat(others.get()).isEqualTo(101);
    }

    @Test
    void resendWhoseAnswerIsLostTooIsStillAppliedOnce() {
        faulty.then(LOSE_REQUEST).then(APPLY_THEN_LOSE_ANSWER).then(LOSE_REQUEST);

        assertThat(counter.addAndGet(5)).isEqualTo(5);
        assertThat(faulty.faultsLeft()).as("decided without a third copy").isEqualTo(1);
        assertThat(faulty.sendHeld()).singleElement().extracting(TxnResult::succeeded).isEqualTo(false);
        assertThat(others.get()).isEqualTo(5);
    }

    @Test
    void compareAndSetWhoseAnswerIsLostStillReportsTrue() {
        others.set(3);
        faulty.then(APPLY_THEN_LOSE_ANSWER, othersIncrement(1));

        assertThat(counter.compareAndSet(3, 30)).isTrue();
        assertThat(others.get()).isEqualTo(31);
    }

    @Test
    void compactedHistoryIsSurfacedAsUnknownAndNeverRetried() {
        others.set(1);
        AtomicReference<String> opId = new AtomicReference<>();
        faulty.then(APPLY_THEN_LOSE_ANSWER, () -> {
            opId.set(client.kv().get(counter.markerKey()).orElseThrow().valueAsString());
            othersIncrement(2).run();
            long now = client.kv().range(Range.key(key)).revision();
            client.maintenance().compact(now, false);
        });

        assertThatThrownBy(counter::incrementAndGet)
                .isInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("compacted")
                .hasMessageContaining("applied at most once")
                .satisfies(e -> assertThat(e.getMessage()).contains(opId.get()));
        assertThat(others.get()).as("applied once, not retried").isEqualTo(4);
        assertThat(faulty.writesSent()).isEqualTo(1);
    }
}
