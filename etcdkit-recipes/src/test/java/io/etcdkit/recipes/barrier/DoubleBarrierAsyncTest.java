package io.etcdkit.recipes.barrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DoubleBarrier#enterAsync} and {@link DoubleBarrier#leaveAsync} against a real member, with the
 * participants' client on a one-thread callback executor: a participant's wait must not park that thread, or the
 * others' steps could never run.
 */
@Timeout(60)
class DoubleBarrierAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "double-barrier-async-callback");
        client = oneThread.client();
    }

    @AfterAll
    static void close() {
        oneThread.close();
    }

    static <R> R done(CompletableFuture<R> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void everyoneEntersWhenTheLastArrivesAndLeavesWhenTheLastLeaves() {
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sessions.add(Session.open(client, Duration.ofSeconds(10)));
            }
            List<CompletableFuture<Boolean>> entered = new ArrayList<>();
            for (Session s : sessions.subList(0, 2)) {
                entered.add(DoubleBarrier.of(s, "async-db", 3).enterAsync(Duration.ofSeconds(30)));
            }
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> entered.stream().noneMatch(CompletableFuture::isDone));
            entered.add(DoubleBarrier.of(sessions.get(2), "async-db", 3).enterAsync(Duration.ofSeconds(30)));
            assertThat(entered).allSatisfy(f -> assertThat(done(f)).isTrue());

            List<CompletableFuture<Boolean>> left = new ArrayList<>();
            for (Session s : sessions.subList(0, 2)) {
                left.add(DoubleBarrier.of(s, "async-db", 3).leaveAsync(Duration.ofSeconds(30)));
            }
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> left.stream().noneMatch(CompletableFuture::isDone));
            left.add(DoubleBarrier.of(sessions.get(2), "async-db", 3).leaveAsync(Duration.ofSeconds(30)));
            assertThat(left).allSatisfy(f -> assertThat(done(f)).isTrue());
            assertThat(client.kv().exists("etcdkit/double-barrier/async-db/ready")).isFalse();
        } finally {
            sessions.forEach(Session::close);
        }
    }

    @Test
    void waitsEndWithFalseAtTheirTimeoutAndAnEndedSessionIsTyped() {
        try (Session alone = Session.open(client, Duration.ofSeconds(10));
             Session stays = Session.open(client, Duration.ofSeconds(10))) {
            DoubleBarrier barrier = DoubleBarrier.of(alone, "async-db-timeout", 2);
            assertThat(done(barrier.enterAsync(Duration.ofMillis(300)))).isFalse();
            // the other participant enters (both are in now) and stays: leaving waits for it in vain
            assertThat(done(DoubleBarrier.of(stays, "async-db-timeout", 2).enterAsync(Duration.ofSeconds(10)))).isTrue();
            assertThat(done(barrier.leaveAsync(Duration.ofMillis(300)))).isFalse();
            assertThat(client.kv().count(io.etcdkit.kv.Range.prefix("etcdkit/double-barrier/async-db-timeout/waiters/")))
                    .isEqualTo(1); // this participant has left anyway
        }
        Session ended = Session.open(client, Duration.ofSeconds(10));
        ended.close();
        assertThatThrownBy(() -> done(DoubleBarrier.of(ended, "async-db-ended", 2).enterAsync(Duration.ofSeconds(5))))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(SessionExpiredException.class);
    }
}
