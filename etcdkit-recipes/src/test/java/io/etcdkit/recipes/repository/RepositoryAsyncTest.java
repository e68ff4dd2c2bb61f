package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The async forms of the repository operations against a real member: the same results as the blocking forms,
 * and the same typed exceptions as the failure of the future.
 */
class RepositoryAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    static <R> R await(CompletableFuture<R> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void everyOperationRoundTrips() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "async").build();
            assertThat(await(items.getAsync("a"))).isEmpty();
            assertThat(await(items.existsAsync("a"))).isFalse();

            Versioned<Item> created = await(items.createAsync("a", Item.labelled("first", Map.of("env", "prod"))));
            assertThat(created.version()).isPositive().isEqualTo(created.createRevision());
            assertThat(created.labels()).isEqualTo(Map.of("env", "prod"));
            assertThat(await(items.getAsync("a"))).contains(created);
            assertThat(items.get("a")).contains(created);
            assertThat(await(items.existsAsync("a"))).isTrue();

            Versioned<Item> updated = await(items.updateAsync("a", created.value().withName("second"),
                    created.version()));
            assertThat(updated.version()).isGreaterThan(created.version());
            assertThat(updated.createRevision()).isEqualTo(created.createRevision());
            assertThat(items.get("a")).contains(updated);

            Versioned<Item> overwritten = await(items.setAsync("a", Item.named("third")));
            assertThat(overwritten.version()).isGreaterThan(updated.version());
            assertThat(overwritten.createRevision()).isEqualTo(created.createRevision());
            assertThat(items.get("a")).contains(overwritten);
            Versioned<Item> upserted = await(items.setAsync("b", Item.named("new")));
            assertThat(upserted.createRevision()).isEqualTo(upserted.version());
            assertThat(items.get("b")).contains(upserted);

            assertThat(await(items.deleteAsync("a", overwritten.version()))).isNull();
            assertThat(items.exists("a")).isFalse();
            assertThat(await(items.deleteAsync("b"))).isTrue();
            assertThat(await(items.deleteAsync("b"))).isFalse();
            assertThat(items.exists("b")).isFalse();
        }
    }

    @Test
    void conflictsFailTheFutureWithTheBlockingFormsTypedExceptions() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "async-conflict").build();
            Versioned<Item> first = await(items.createAsync("x", Item.named("one")));
            Versioned<Item> second = items.update("x", Item.named("two"), first.version());

            assertThatThrownBy(() -> await(items.updateAsync("x", Item.named("stale"), first.version())))
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.expectedVersion()).isEqualTo(first.version());
                        assertThat(e.currentVersion()).isEqualTo(second.version());
                    });
            assertThatThrownBy(() -> items.update("x", Item.named("stale"), first.version()))
                    .isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> await(items.deleteAsync("x", first.version())))
                    .cause().isInstanceOf(VersionConflictException.class);
            assertThatThrownBy(() -> await(items.createAsync("x", Item.named("again"))))
                    .cause().isInstanceOfSatisfying(ResourceExistsException.class,
                            e -> assertThat(e.currentVersion()).isEqualTo(second.version()));
            assertThatThrownBy(() -> await(items.updateAsync("missing", Item.named("m"), 5)))
                    .cause().isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> await(items.deleteAsync("missing", 5)))
                    .cause().isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> await(items.updateAsync("x", Item.named("zero"), 0)))
                    .cause().isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be positive");
            // nothing was written by the failed calls
            assertThat(items.get("x")).contains(second);
        }
    }

    @Test
    void createAsyncWithATtlPutsTheResourceOnALease() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "async-ttl").build();
            Versioned<Item> created = await(items.createAsync("t", Item.named("leased"), Duration.ofSeconds(30)));
            assertThat(created.hasTtl()).isTrue();
            assertThat(items.remainingTtl("t")).isPositive();
            assertThatThrownBy(() -> await(items.createAsync("t", Item.named("again"), Duration.ofSeconds(30))))
                    .cause().isInstanceOf(ResourceExistsException.class);
            assertThat(await(items.deleteAsync("t"))).isTrue();
        }
    }

    @Test
    void asyncWritesKeepForeignLabels() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "async-foreign").build();
            client.kv().put("async-foreign/f",
                    "{\"name\":\"from python\",\"count\":0,\"labels\":{\"Team Name\":\"a b\",\"env\":\"prod\"}}");
            Versioned<Item> read = await(items.getAsync("f")).orElseThrow();
            Versioned<Item> updated = await(items.updateAsync("f", read.value().plusOne(), read.version()));
            assertThat(updated.labels()).containsEntry("Team Name", "a b");
            Versioned<Item> set = await(items.setAsync("f", updated.value().withName("set")));
            assertThat(set.labels()).containsEntry("Team Name", "a b");
            assertThat(client.kv().get("async-foreign/f").orElseThrow().valueAsString()).contains("Team Name");
            Map<String, String> changed = Map.of("Team Name", "c d", "env", "prod");
            assertThatThrownBy(() -> await(items.updateAsync("f", new Item("n", 0, changed), set.version())))
                    .cause().isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Team Name");
        }
    }

    @Test
    void withAQuotaTheAsyncFormsKeepTheQuota() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "async-quota").quota(1).build();
            Versioned<Item> only = await(items.createAsync("q1", Item.named("one")));
            assertThatThrownBy(() -> await(items.createAsync("q2", Item.named("two"))))
                    .cause().isInstanceOf(QuotaExceededException.class);
            assertThatThrownBy(() -> await(items.setAsync("q2", Item.named("two"))))
                    .cause().isInstanceOf(QuotaExceededException.class);
            assertThat(await(items.deleteAsync("q1", only.version()))).isNull();
            assertThat(await(items.setAsync("q2", Item.named("two"))).value().name()).isEqualTo("two");
            assertThat(await(items.deleteAsync("q2"))).isTrue();
            assertThat(items.count()).isZero();
            assertThat(Optional.of(items.keys())).contains(java.util.List.of());
        }
    }

    /**
     * Concurrent async creates on a client whose callbacks all run on one thread: a step that waited on that
     * thread would never finish. The quota holds: exactly QUOTA creates succeed, the others fail as over quota
     * (or, having lost the race for a place every time, as contention).
     */
    @Test
    void concurrentAsyncCreatesOnOneCallbackThreadKeepTheQuota() throws Exception {
        try (CallbackThreadClient one = CallbackThreadClient.open(ETCD, "repository-async-race-callback")) {
            EtcdClient client = one.client();
            Repository<Item> items = Item.repository(client, "async-race").quota(3).build();
            java.util.List<CompletableFuture<Versioned<Item>>> creates = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                creates.add(items.createAsync("r" + i, Item.named("r" + i), Duration.ofSeconds(30)));
            }
            CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(20, TimeUnit.SECONDS);
            long ok = creates.stream().filter(f -> !f.isCompletedExceptionally()).count();
            assertThat(ok).isEqualTo(3);
            assertThat(creates).filteredOn(CompletableFuture::isCompletedExceptionally).allSatisfy(f ->
                    assertThatThrownBy(f::join).cause().isInstanceOfAny(QuotaExceededException.class,
                            WriteContentionException.class));
            assertThat(items.count()).isEqualTo(3);
            String survivor = creates.stream().filter(f -> !f.isCompletedExceptionally()).findFirst()
                    .orElseThrow().join().id();
            assertThat(await(items.deleteAsync(survivor))).isTrue();
            assertThat(await(items.setAsync("late", Item.named("late"))).version()).isPositive();
            assertThat(items.count()).isEqualTo(3);
        }
    }
}
