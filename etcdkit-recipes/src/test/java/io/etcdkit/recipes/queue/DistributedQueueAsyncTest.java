package io.etcdkit.recipes.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The async forms of the queue against a real member. The client under test has a one-thread callback executor:
 * takes waiting in the line must not park it, or the puts (made by another client) would never reach them.
 */
@Timeout(90)
class DistributedQueueAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;
    static EtcdClient other; // "someone else": its own callback executor

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "queue-async-callback");
        client = oneThread.client();
        other = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        other.close();
        oneThread.close();
    }

    static <R> R done(CompletableFuture<R> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void putPollAndSizeKeepFifoAndPriorityOrder() {
        DistributedQueue fifo = DistributedQueue.fifo(client, "aq/fifo/");
        assertThat(done(fifo.pollAsync())).isEmpty();
        for (int i = 0; i < 3; i++) {
            done(fifo.putAsync(Bytes.of("v" + i)));
        }
        assertThat(done(fifo.sizeAsync())).isEqualTo(3L);
        assertThat(done(fifo.pollAsync())).contains(Bytes.of("v0"));
        assertThat(done(fifo.takeAsync())).isEqualTo(Bytes.of("v1"));
        assertThat(done(fifo.takeAsync(Duration.ofSeconds(1)))).contains(Bytes.of("v2"));
        assertThat(done(fifo.sizeAsync())).isZero();

        DistributedQueue priority = DistributedQueue.priority(client, "aq/prio/");
        done(priority.putAsync(Bytes.of("low"), 1));
        done(priority.putAsync(Bytes.of("high"), 9));
        done(priority.putAsync(Bytes.of("high2"), 9));
        assertThat(done(priority.pollAsync())).contains(Bytes.of("high"));
        assertThat(done(priority.pollAsync())).contains(Bytes.of("high2"));
        assertThat(done(priority.pollAsync())).contains(Bytes.of("low"));

        assertThatThrownBy(() -> done(priority.putAsync(Bytes.of("x"), 1000)))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void waitingTakesAreWokenByPutsWithoutParkingTheCallbackThread() {
        DistributedQueue queue = DistributedQueue.fifo(client, "aq/wait/");
        DistributedQueue producer = DistributedQueue.fifo(other, "aq/wait/");
        List<CompletableFuture<Bytes>> takes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            takes.add(queue.takeAsync());
        }
        CompletableFuture<Optional<Bytes>> timed = queue.takeAsync(Duration.ofMillis(300));
        assertThat(done(timed)).isEmpty(); // nothing put: empty at its timeout
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> takes.stream().noneMatch(CompletableFuture::isDone));
        List<Bytes> put = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Bytes v = Bytes.of("w" + i);
            put.add(v);
            done(producer.putAsync(v));
        }
        List<Bytes> got = takes.stream().map(DistributedQueueAsyncTest::done).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(put);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aCancelledTakeLeavesTheLineAndTakesNothing() {
        DistributedQueue queue = DistributedQueue.fifo(client, "aq/cancel/");
        CompletableFuture<Optional<Bytes>> first = queue.takeAsync(Duration.ofSeconds(30));
        CompletableFuture<Optional<Bytes>> second = queue.takeAsync(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.takers().state().equals("2 waiting, watching"));
        assertThat(first).isNotDone();
        assertThat(first.cancel(false)).isTrue();
        assertThat(queue.takers().state()).isEqualTo("1 waiting, watching"); // withdrawn at once
        done(DistributedQueue.fifo(other, "aq/cancel/").putAsync(Bytes.of("only")));
        assertThat(done(second)).contains(Bytes.of("only"));
        assertThat(first).isCancelled();
        assertThat(queue.size()).isZero();
        assertThat(queue.takers().state()).isEqualTo("0 waiting"); // the line's watch closed with the last taker
        CompletableFuture<Optional<Bytes>> alone = queue.takeAsync(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.takers().state().equals("1 waiting, watching"));
        alone.cancel(false);
        assertThat(queue.takers().state()).isEqualTo("0 waiting");
        // a new take still waits and is woken
        CompletableFuture<Bytes> third = queue.takeAsync();
        done(DistributedQueue.fifo(other, "aq/cancel/").putAsync(Bytes.of("next")));
        assertThat(done(third)).isEqualTo(Bytes.of("next"));
    }

    @Test
    void aBoundedQueueRefusesOrWaitsForRoom() {
        DistributedQueue failing = DistributedQueue.fifo(client, "aq/bounded-fail/").bounded(2, WhenFull.FAIL);
        done(failing.putAsync(Bytes.of("a")));
        done(failing.putAsync(Bytes.of("b")));
        assertThatThrownBy(() -> done(failing.putAsync(Bytes.of("c"))))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(QueueFullException.class)
                .hasMessageContaining("capacity 2");

        DistributedQueue blocking = DistributedQueue.fifo(client, "aq/bounded-block/").bounded(1, WhenFull.BLOCK);
        done(blocking.putAsync(Bytes.of("a")));
        assertThatThrownBy(() -> done(blocking.putAsync(Bytes.of("late"), 0, Duration.ofMillis(300))))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(QueueFullException.class)
                .hasMessageContaining("no room within");
        CompletableFuture<Void> waiting = blocking.putAsync(Bytes.of("b"), 0, Duration.ofSeconds(30));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
        assertThat(done(DistributedQueue.fifo(other, "aq/bounded-block/").bounded(1, WhenFull.BLOCK).pollAsync()))
                .contains(Bytes.of("a"));
        done(waiting);
        assertThat(done(blocking.pollAsync())).contains(Bytes.of("b"));
    }
}
