package io.etcdkit.recipes.barrier;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.testing.ChildJvm;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A double-barrier participant that really crashes: the third of three participants is a child JVM, killed with
 * SIGKILL after all entered (nothing revokes its lease). The two others' {@code leave} must hold while its lease
 * lives and return true once etcd expires it (within its TTL plus a margin).
 */
class DoubleBarrierCrashTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration CHILD_TTL = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void theOthersLeaveOnceTheKilledParticipantsLeaseExpires() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
             Session a = Session.open(client, Duration.ofSeconds(20));
             Session b = Session.open(client, Duration.ofSeconds(20))) {
            List<CompletableFuture<Boolean>> entered = new ArrayList<>();
            for (Session s : List.of(a, b)) {
                DoubleBarrier barrier = DoubleBarrier.of(s, "crash", 3);
                entered.add(CompletableFuture.supplyAsync(() -> call(() -> barrier.enter(Duration.ofSeconds(60)))));
            }
            try (ChildJvm child = ChildJvm.start(BarrierParticipantProcess.class, ETCD.clientEndpointsString(),
                    "crash", "3", String.valueOf(CHILD_TTL.toSeconds()))) {
                assertThat(child.ready().get(60, TimeUnit.SECONDS)).as("child output: %s", child.output())
                        .isEqualTo("READY entered");
                for (CompletableFuture<Boolean> f : entered) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).as("all three entered").isTrue();
                }
                List<CompletableFuture<Boolean>> left = new ArrayList<>();
                for (Session s : List.of(a, b)) {
                    DoubleBarrier barrier = DoubleBarrier.of(s, "crash", 3);
                    left.add(CompletableFuture.supplyAsync(() -> call(() -> barrier.leave(Duration.ofSeconds(30)))));
                }
                assertThat(CompletableFuture.anyOf(left.toArray(CompletableFuture[]::new))
                        .completeOnTimeout("held", 1, TimeUnit.SECONDS).get())
                        .as("nobody leaves while the child lives and has not left").isEqualTo("held");

                long killedAt = System.nanoTime();
                child.process().destroyForcibly(); // SIGKILL: no revoke, its lease expires after the TTL
                assertThat(child.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                for (CompletableFuture<Boolean> f : left) {
                    assertThat(f.get(CHILD_TTL.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS))
                            .as("left once the killed participant's lease expired").isTrue();
                }
                long ms = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("DOUBLE BARRIER CRASH: the two others left %d ms after the SIGKILL (child TTL %d s)%n",
                        ms, CHILD_TTL.toSeconds());
                assertThat(client.kv().count(Range.prefix("etcdkit/double-barrier/crash/")))
                        .as("no participant key is left").isZero();
            }
        }
    }

    private interface Call {
        boolean call() throws InterruptedException;
    }

    private static boolean call(Call c) {
        try {
            return c.call();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
