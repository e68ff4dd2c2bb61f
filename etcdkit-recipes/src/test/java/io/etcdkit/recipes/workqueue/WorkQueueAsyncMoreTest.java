package io.etcdkit.recipes.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The async forms of {@link WorkQueue#requeue} and {@link WorkQueue#recoverExpiredClaims} against a real member,
 * started from a callback of a client whose callback executor has one thread: a blocking step inside them would
 * wait for that thread forever and the bounded wait would fail the test.
 */
@Timeout(60)
class WorkQueueAsyncMoreTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;
    static Session session;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "work-queue-async-more-callback");
        client = oneThread.client();
        session = Session.open(client, Duration.ofSeconds(10));
    }

    @AfterAll
    static void close() {
        session.close();
        oneThread.close();
    }

    @Test
    void requeueAsyncReturnsADeadLetterOnceAndRefusesAnUnknownId() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "async-requeue").maxAttempts(1);
             WorkConsumer consumer = queue.openConsumer(session)) {
            String id = queue.add(NewItem.of("poison")).id();
            Claim claim = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(consumer.nack(claim, "bad input")).isTrue();
            assertThat(queue.stats()).extracting(QueueStats::items, QueueStats::dead).containsExactly(0L, 1L);

            boolean unknown = oneThread.fromCallback(() -> queue.requeueAsync("no-such-item"));
            assertThat(unknown).as("no dead letter with that id").isFalse();
            boolean requeued = oneThread.fromCallback(() -> queue.requeueAsync(id));
            assertThat(requeued).isTrue();
            boolean again = oneThread.fromCallback(() -> queue.requeueAsync(id));
            assertThat(again).as("no longer a dead letter").isFalse();
            assertThat(queue.stats()).extracting(QueueStats::items, QueueStats::pending, QueueStats::dead)
                    .containsExactly(1L, 1L, 0L);

            Claim back = consumer.claim(Duration.ofSeconds(5)).orElseThrow();
            assertThat(back.id()).isEqualTo(id);
            assertThat(back.previousAttempts()).as("attempts reset").isZero();
            assertThat(back.lastError()).isEqualTo("bad input");
            assertThat(consumer.ack(back)).isTrue();
        }
    }

    @Test
    void recoverExpiredClaimsAsyncReturnsOnlyOrphanedItemsOnce() throws Exception {
        WorkQueue producer = WorkQueue.of(client, "async-sweep");
        assertThat(oneThread.fromCallback(producer::recoverExpiredClaimsAsync)).as("an empty queue").isZero();
        String a = producer.add(NewItem.of("a")).id();
        String b = producer.add(NewItem.of("b")).id();
        try (Session doomed = Session.open(client, Duration.ofSeconds(5))) {
            try (WorkQueue q = WorkQueue.of(client, "async-sweep"); WorkConsumer c = q.openConsumer(doomed)) {
                assertThat(c.claimBatch(2, Duration.ofSeconds(5))).extracting(Claim::id)
                        .containsExactlyInAnyOrder(a, b);
            }
            String heldId = producer.add(NewItem.of("held")).id();
            try (WorkQueue q = WorkQueue.of(client, "async-sweep"); WorkConsumer live = q.openConsumer(session)) {
                assertThat(live.claim(Duration.ofSeconds(5))).get().extracting(Claim::id).isEqualTo(heldId);
            } // the claim stays, on the live session's lease
            client.leases().revoke(doomed.leaseId()); // no watcher open now
            assertThat(producer.stats().orphaned()).isEqualTo(2);

            int recovered = oneThread.fromCallback(producer::recoverExpiredClaimsAsync);
            assertThat(recovered).isEqualTo(2);
            int again = oneThread.fromCallback(producer::recoverExpiredClaimsAsync);
            assertThat(again).as("idempotent; the live claim is left alone").isZero();
            assertThat(producer.items(0)).extracting(ItemView::id, ItemView::attempts, ItemView::claimed)
                    .containsExactlyInAnyOrder(tuple(a, 1, false), tuple(b, 1, false), tuple(heldId, 0, true));
        }
    }
}
