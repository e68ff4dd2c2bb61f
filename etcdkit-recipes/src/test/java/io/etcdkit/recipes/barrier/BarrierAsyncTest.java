package io.etcdkit.recipes.barrier;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The barrier's async twins against a real member: waiting takes no thread and ends on the delete or time-out. */
class BarrierAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void awaitAsyncEndsWhenTheBarrierIsRemovedOrAtTheTimeOut() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            Barrier barrier = Barrier.of(client, "async-gate");
            assertThat(barrier.awaitAsync(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).as("not set").isTrue();
            barrier.setAsync().get(10, TimeUnit.SECONDS);
            assertThat(barrier.isSetAsync().get(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            assertThat(barrier.awaitAsync(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            CompletableFuture<Boolean> waiting = barrier.awaitAsync(Duration.ofSeconds(30));
            org.awaitility.Awaitility.await("still set: still waiting").during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());
            barrier.removeAsync().get(10, TimeUnit.SECONDS);
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBarrierSetWithASessionFallsWithItAndAnEndedSessionIsTyped() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            Barrier barrier = Barrier.of(client, "async-session-gate");
            Session s = Session.open(client, Duration.ofSeconds(10));
            barrier.setAsync(s).get(10, TimeUnit.SECONDS);
            CompletableFuture<Boolean> waiting = barrier.awaitAsync(Duration.ofSeconds(30));
            s.close();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(barrier.setAsync(s)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(SessionExpiredException.class);
        }
    }
}
