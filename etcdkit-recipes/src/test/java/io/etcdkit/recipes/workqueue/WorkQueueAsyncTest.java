package io.etcdkit.recipes.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The async forms of the work queue's reads and of ack/nack against a real member, on a client with a one-thread
 * callback executor: the same answers as the blocking forms, and a settle of a claim that no longer holds is
 * refused (false), as the blocking form refuses it.
 */
@Timeout(60)
class WorkQueueAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;
    static Session session;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "work-queue-async-callback");
        client = oneThread.client();
        session = Session.open(client, Duration.ofSeconds(10));
    }

    @AfterAll
    static void close() {
        session.close();
        oneThread.close();
    }

    @Test
    void ackAndNackSettleAHeldClaimOnceAndReadsMatchTheBlockingForms() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "async-settle").maxAttempts(2);
             WorkConsumer consumer = queue.openConsumer(session)) {
            queue.add(Bytes.of("one"));
            queue.add(Bytes.of("two"));
            QueueStats stats = oneThread.fromCallback(queue::statsAsync);
            assertThat(stats).extracting(QueueStats::items, QueueStats::pending, QueueStats::claimed)
                    .containsExactly(2L, 2L, 0L);

            Claim first = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            List<ItemView> items = oneThread.fromCallback(() -> queue.itemsAsync(0));
            assertThat(items).isEqualTo(queue.items(0)).hasSize(2);
            assertThat(items).filteredOn(ItemView::claimed).extracting(ItemView::id).containsExactly(first.id());
            boolean acked = oneThread.fromCallback(() -> consumer.ackAsync(first));
            assertThat(acked).isTrue();
            boolean again = oneThread.fromCallback(() -> consumer.ackAsync(first));
            assertThat(again).as("the claim no longer holds").isFalse();

            Claim second = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            boolean nacked = oneThread.fromCallback(() -> consumer.nackAsync(second, "boom"));
            assertThat(nacked).isTrue();
            boolean nackedAgain = oneThread.fromCallback(() -> consumer.nackAsync(second, "late"));
            assertThat(nackedAgain).isFalse();
            Claim retried = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(retried.id()).isEqualTo(second.id());
            assertThat(retried.previousAttempts()).isEqualTo(1);
            assertThat(retried.lastError()).isEqualTo("boom");
            // its last allowed attempt: the nack moves it to the dead letters
            assertThat(oneThread.fromCallback(() -> consumer.nackAsync(retried, "boom again"))).isTrue();
            List<DeadLetter> dead = oneThread.fromCallback(() -> queue.deadLettersAsync(0));
            assertThat(dead).isEqualTo(queue.deadLetters(0));
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(second.id());
                assertThat(d.lastError()).isEqualTo("boom again");
            });
            assertThat(oneThread.fromCallback(queue::statsAsync)).extracting(QueueStats::items, QueueStats::dead)
                    .containsExactly(0L, 1L);
        }
    }

    @Test
    void addsApplyOnceWithDedupAndABadBatchFailsTheFuture() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "async-add");
             WorkConsumer consumer = queue.openConsumer(session)) {
            Added one = oneThread.fromCallback(() -> queue.addAsync(NewItem.of(Bytes.of("one")).dedupKey("k1")));
            assertThat(one.duplicate()).isFalse();
            List<Added> batch = oneThread.fromCallback(() -> queue.addAllAsync(List.of(
                    NewItem.of(Bytes.of("dup of one")).dedupKey("k1"), NewItem.of(Bytes.of("two")).dedupKey("k2"),
                    NewItem.of(Bytes.of("dup of two")).dedupKey("k2"), NewItem.of(Bytes.of("three")))));
            assertThat(batch).extracting(Added::duplicate).containsExactly(true, false, true, false);
            assertThat(batch.get(0).id()).isEqualTo(one.id());
            assertThat(batch.get(2).id()).isEqualTo(batch.get(1).id());
            assertThat(queue.stats().items()).isEqualTo(3);
            List<String> claimed = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                claimed.add(consumer.claim(Duration.ofSeconds(5)).orElseThrow().payloadAsString());
            }
            assertThat(claimed).containsExactlyInAnyOrder("one", "two", "three");

            assertThatThrownBy(() -> oneThread.fromCallback(() -> queue.addAllAsync(List.of())))
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("1 to 32 items");
        }
    }

    @Test
    void ackAllAcksTheHeldClaimsAndReportsWhichOnes() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "async-ack-all");
             WorkConsumer consumer = queue.openConsumer(session)) {
            for (int i = 0; i < 3; i++) {
                queue.add(Bytes.of("v" + i));
            }
            List<Claim> claims = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                claims.add(consumer.claim(Duration.ofSeconds(5)).orElseThrow());
            }
            assertThat(consumer.ack(claims.get(1))).isTrue(); // no longer held: the batch falls back to one by one
            List<Claim> acked = oneThread.fromCallback(() -> consumer.ackAllAsync(claims));
            assertThat(acked).containsExactly(claims.get(0), claims.get(2));
            assertThat(queue.stats().items()).isZero();
            List<Claim> none = oneThread.fromCallback(() -> consumer.ackAllAsync(claims));
            assertThat(none).isEmpty();
        }
    }
}
