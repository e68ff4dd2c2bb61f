package io.etcdkit.recipes.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.HeldExecutor;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link WorkConsumer#claimAsync} and {@link WorkConsumer#claimBatchAsync} against a real member, on a client with
 * a one-thread callback executor: what is visible is claimed at once, a waiting claim is a future in the queue's
 * line (woken once per item, no thread parked), a cancelled claim leaves the line, passes a wake-up on and gives
 * back what it claimed untouched, and the session's end fails a waiting claim.
 */
@Timeout(90)
class WorkQueueClaimAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;
    static Session session;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "work-queue-claim-async-callback");
        client = oneThread.client();
        session = Session.open(client, Duration.ofSeconds(10));
    }

    @AfterAll
    static void close() {
        session.close();
        oneThread.close();
    }

    static long waiters(String queue) {
        return client.kv().count(Range.prefix("etcdkit/workqueue/" + queue + "/waiters/"));
    }

    static <T> T within(CompletableFuture<T> f) throws Exception {
        return f.get(15, TimeUnit.SECONDS);
    }

    @Test
    void visibleItemsAreClaimedAtOnceAndAClaimWithNothingToTakeEndsEmptyAtItsTimeout() throws Exception {
        try (WorkQueue queue = WorkQueue.of(client, "claim-async-now");
             WorkConsumer consumer = queue.openConsumer(session)) {
            for (int i = 0; i < 3; i++) {
                queue.add(Bytes.of("v" + i));
            }
            Claim one = within(consumer.claimAsync(Duration.ZERO)).orElseThrow();
            List<Claim> rest = within(consumer.claimBatchAsync(5, Duration.ZERO));
            assertThat(rest).hasSize(2).extracting(Claim::id).doesNotContain(one.id()).doesNotHaveDuplicates();
            assertThat(queue.stats()).extracting(QueueStats::pending, QueueStats::claimed).containsExactly(0L, 3L);

            long start = System.nanoTime();
            List<Claim> none = within(consumer.claimBatchAsync(3, Duration.ofMillis(300)));
            assertThat(none).isEmpty();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited its timeout")
                    .isGreaterThanOrEqualTo(290);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters("claim-async-now") == 0);

            List<Claim> all = new ArrayList<>(rest);
            all.add(one);
            assertThat(within(consumer.ackAllAsync(all))).hasSize(3);

            assertThatThrownBy(() -> consumer.claimBatchAsync(0, Duration.ZERO))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at least 1 item");
            assertThatThrownBy(() -> consumer.claimAsync(Duration.ofSeconds(-1)))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("zero or positive");
            assertThatThrownBy(() -> consumer.claimAsync(null)).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void waitingClaimsStandInLineAndAreWokenOncePerItem() throws Exception {
        int n = 20;
        try (WorkQueue queue = WorkQueue.of(client, "claim-async-wait");
             WorkConsumer consumer = queue.openConsumer(session)) {
            List<CompletableFuture<Optional<Claim>>> claims = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                claims.add(consumer.claimAsync(Duration.ofSeconds(30))); // futures, not threads
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters("claim-async-wait") == n);
            assertThat(claims).noneMatch(CompletableFuture::isDone);

            long before = ClaimWatcher.WAKEUPS.get();
            List<NewItem> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(NewItem.of("w" + i));
            }
            List<String> added = queue.addAll(items).stream().map(Added::id).toList();
            List<Claim> got = new ArrayList<>();
            for (CompletableFuture<Optional<Claim>> f : claims) {
                got.add(within(f).orElseThrow());
            }
            long wakeups = ClaimWatcher.WAKEUPS.get() - before;
            assertThat(got).extracting(Claim::id).containsExactlyInAnyOrderElementsOf(added);
            assertThat(wakeups).as("one wake-up per item at most").isBetween(1L, (long) n);
            assertThat(within(consumer.ackAllAsync(got))).hasSize(n);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters("claim-async-wait") == 0);
        }
    }

    @Test
    void aCancelledClaimLeavesTheLineAndAWakeUpItGotGoesToTheNextInLine() throws Exception {
        String name = "claim-async-cancel";
        try (WorkQueue queue = WorkQueue.of(client, name);
             WorkConsumer consumer = queue.openConsumer(session)) {
            CompletableFuture<Optional<Claim>> cancelled = consumer.claimAsync(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 1);
            assertThat(cancelled.cancel(false)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 0);
            String lone = queue.add(Bytes.of("nobody takes it")).id();
            assertThat(queue.stats()).extracting(QueueStats::pending, QueueStats::claimed).containsExactly(1L, 0L);
            Claim taken = consumer.claim(Duration.ZERO).orElseThrow();
            assertThat(taken.id()).isEqualTo(lone);
            assertThat(consumer.ack(taken)).isTrue();

            // First in line: a waiter that will get the next item's wake-up and then leave without using it.
            ClaimWatcher.Waiter first = queue.watcher().register(session);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 1);
            CompletableFuture<Optional<Claim>> second = consumer.claimAsync(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 2);
            String item = queue.add(Bytes.of("passed on")).id();
            assertThat(within(first.woken())).isEqualTo(item);
            assertThat(second).isNotDone(); // only the first in line was woken
            queue.watcher().unregister(first, false);
            assertThat(within(second)).get().extracting(Claim::id).isEqualTo(item);
            assertThat(consumer.ack(within(second).orElseThrow())).isTrue();
        }
    }

    @Test
    void anItemClaimedForACancelledClaimGoesBackUntouched() throws Exception {
        String name = "claim-async-give-back";
        try (WorkQueue queue = WorkQueue.of(client, name);
             WorkConsumer consumer = queue.openConsumer(session)) {
            String id = queue.add(Bytes.of("given back")).id();
            Bytes pendingKey = Bytes.of("etcdkit/workqueue/" + name + "/pending/" + id);
            long queuedAt = client.kv().get(pendingKey).orElseThrow().createRevision();

            // the pass's read answers, but cannot go on yet
            HeldExecutor held = HeldExecutor.hold(oneThread.executor());
            CompletableFuture<Optional<Claim>> claim = consumer.claimAsync(Duration.ZERO);
            assertThat(claim.cancel(false)).isTrue();
            held.release(); // the pass claims the item, finds its claim cancelled, and gives the item back

            await().atMost(Duration.ofSeconds(10)).until(() -> client.kv().get(pendingKey)
                    .map(KeyValue::createRevision).orElse(0L) > queuedAt);
            assertThat(queue.stats()).extracting(QueueStats::pending, QueueStats::claimed).containsExactly(1L, 0L);
            Claim again = consumer.claim(Duration.ZERO).orElseThrow();
            assertThat(again.id()).isEqualTo(id);
            assertThat(again.previousAttempts()).as("a give-back is not a failed attempt").isZero();
            assertThat(again.lastError()).isEmpty();
            assertThat(consumer.ack(again)).isTrue();
        }
    }

    @Test
    void aWaitingClaimFailsWhenTheSessionEndsAndAClosedConsumerRefuses() throws Exception {
        String name = "claim-async-session";
        Session ending = Session.open(client, Duration.ofSeconds(10));
        try (WorkQueue queue = WorkQueue.of(client, name)) {
            WorkConsumer consumer = queue.openConsumer(ending);
            CompletableFuture<Optional<Claim>> waiting = consumer.claimAsync(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 1);
            ending.close();
            assertThatThrownBy(() -> within(waiting)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SessionExpiredException.class);

            WorkConsumer closed = queue.openConsumer(session);
            closed.close();
            assertThatThrownBy(() -> within(closed.claimAsync(Duration.ZERO))).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        } finally {
            ending.close();
        }
    }
}
