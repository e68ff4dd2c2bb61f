package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many writers updating one resource with compare-and-swap: one winner per version, no update lost. */
class ConcurrentUpdateTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final int THREADS = 8;
    private static final int INCREMENTS = 25;

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(10)).build();
    }

    @Test
    void concurrentUpdatersWithExpectedVersionsFormOneChainAndLoseNothing() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "cas").build();
            Versioned<Item> start = items.create("counter", Item.named("counter"));
            VersionChainChecker checker = new VersionChainChecker(start.version());
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    String writer = "w" + t;
                    done.add(pool.submit(() -> increment(items, writer, checker)));
                }
                int succeeded = 0;
                for (Future<Integer> f : done) {
                    succeeded += f.get(120, TimeUnit.SECONDS);
                }
                Versioned<Item> end = items.get("counter").orElseThrow();
                System.out.println("CAS: " + checker.wins() + " updates won, " + checker.refusals() + " refused");
                assertThat(checker.findings()).isEmpty();
                assertThat(succeeded).isEqualTo(THREADS * INCREMENTS).isEqualTo(checker.wins());
                assertThat(end.value().count()).isEqualTo(checker.wins());
                assertThat(end.version()).isEqualTo(checker.lastVersion());
                assertThat(checker.refusals()).as("the writers really contended").isPositive();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** INCREMENTS successful read-increment-CAS updates, retrying on conflicts; records every outcome. */
    private static int increment(Repository<Item> items, String writer, VersionChainChecker checker) {
        int won = 0;
        while (won < INCREMENTS) {
            Versioned<Item> current = items.get("counter").orElseThrow();
            try {
                Versioned<Item> next = items.update("counter", current.value().plusOne(), current.version());
                checker.won(writer, current.version(), next.version());
                won++;
            } catch (VersionConflictException e) {
                checker.refused(writer, e.expectedVersion(), e.currentVersion());
            }
        }
        return won;
    }

    @Test
    void theRetryingFunctionUpdateLosesNoIncrementUnderContention() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "fn-cas").retries(1000).build();
            items.create("counter", Item.named("counter"));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 10; i++) {
                            items.update("counter", Item::plusOne);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
                assertThat(items.get("counter").orElseThrow().value().count()).isEqualTo(40);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theRetryingUpdateGivesUpAfterItsAttemptsWithoutWriting() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "give-up").retries(3)
                    .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
            items.create("hot", Item.named("hot"));
            // a change function that itself writes the resource makes every attempt conflict
            Repository<Item> other = Item.repository(client, "give-up").build();
            assertThatThrownBy(() -> items.update("hot", value -> {
                other.update("hot", Item::plusOne);
                return value.withName("never");
            })).isInstanceOfSatisfying(WriteContentionException.class,
                    e -> assertThat(e.attempts()).isEqualTo(3));
            Versioned<Item> now = items.get("hot").orElseThrow();
            assertThat(now.value().name()).isEqualTo("hot");
            assertThat(now.value().count()).isEqualTo(3);
        }
    }
}
