package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The async reads and TTL calls of the repository against a real member: the same answers as the blocking forms,
 * the same typed failures, and every step started from a callback (the client has a one-thread callback executor
 * and the calls are made from inside a callback: anything blocking that thread would never complete).
 */
@Timeout(60)
class RepositoryAsyncReadTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "repository-async-callback");
        client = oneThread.client();
    }

    @AfterAll
    static void close() {
        oneThread.close();
    }

    static List<String> ids(List<Versioned<Item>> resources) {
        return resources.stream().map(Versioned::id).toList();
    }

    @Test
    void listCountAndPagesMatchTheBlockingForms() {
        Repository<Item> items = Item.repository(client, "async-list").build();
        for (int i = 0; i < 12; i++) {
            items.create(String.format("s%02d", i), Item.labelled("s" + i, Map.of("colour", i % 3 == 0 ? "red" : "blue")));
        }
        long count = oneThread.fromCallback(items::countAsync);
        assertThat(count).isEqualTo(12L);
        List<Versioned<Item>> all = oneThread.fromCallback(items::listAsync);
        assertThat(all).isEqualTo(items.list()).hasSize(12);
        assertThat(ids(oneThread.fromCallback(() -> items.listAsync("colour=red"))))
                .containsExactly("s00", "s03", "s06", "s09");
        assertThat(oneThread.fromCallback(() -> items.listAsync(LabelSelector.parse("colour=blue")))).hasSize(8);

        LabelSelector red = LabelSelector.parse("colour=red");
        Page<Item> first = oneThread.fromCallback(() -> items.listPageAsync(red, 3, null));
        assertThat(ids(first.items())).containsExactly("s00", "s03", "s06");
        items.create("s99", Item.labelled("late", Map.of("colour", "red"))); // after the snapshot: not listed
        List<String> rest = new ArrayList<>();
        Page<Item> page = first;
        while (page.continueToken().isPresent()) {
            String token = page.continueToken().get();
            page = oneThread.fromCallback(() -> items.listPageAsync(red, 3, token));
            assertThat(page.revision()).isEqualTo(first.revision());
            rest.addAll(ids(page.items()));
        }
        assertThat(rest).containsExactly("s09");

        List<String> keys = oneThread.fromCallback(items::keysAsync);
        assertThat(keys).isEqualTo(items.keys()).hasSize(13);
        List<String> some = oneThread.fromCallback(() -> items.keysAsync("s0[0-2]"));
        assertThat(some).containsExactly("s00", "s01", "s02");
        assertThatThrownBy(() -> items.keysAsync("")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void anExpiredOrForeignTokenFailsTheFuture() {
        Repository<Item> items = Item.repository(client, "async-expire").build();
        for (int i = 0; i < 4; i++) {
            items.create("e" + i, Item.named("e" + i));
        }
        String token = items.listPage(LabelSelector.everything(), 2, null).continueToken().orElseThrow();
        Versioned<Item> later = items.update("e0", Item::plusOne);
        client.maintenance().compact(later.version(), false);
        assertThatThrownBy(() -> oneThread.fromCallback(
                () -> items.listPageAsync(LabelSelector.everything(), 2, token)))
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(ContinueTokenExpiredException.class);
        assertThatThrownBy(() -> oneThread.fromCallback(
                () -> items.listPageAsync(LabelSelector.everything(), 2, "bad!")))
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid continue token");
        assertThatThrownBy(() -> oneThread.fromCallback(() -> items.listPageAsync(LabelSelector.everything(), 0, null)))
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("page size");
    }

    @Test
    void historyWalksBackToTheCreationOrTheLimitOrCompaction() {
        Repository<Item> items = Item.repository(client, "async-history").build();
        Versioned<Item> v1 = items.create("h", Item.named("one"));
        Versioned<Item> v2 = items.update("h", Item.named("two"), v1.version());
        Versioned<Item> v3 = items.update("h", Item.named("three"), v2.version());

        History<Item> all = oneThread.fromCallback(() -> items.historyAsync("h")).orElseThrow();
        assertThat(all).isEqualTo(items.history("h").orElseThrow());
        assertThat(all.versions()).containsExactly(v3, v2, v1);
        assertThat(all.end()).isEqualTo(History.End.CREATED);
        History<Item> two = oneThread.fromCallback(() -> items.historyAsync("h", 2)).orElseThrow();
        assertThat(two.versions()).containsExactly(v3, v2);
        assertThat(two.end()).isEqualTo(History.End.LIMIT);
        assertThat(oneThread.fromCallback(() -> items.historyAsync("absent"))).isEmpty();
        assertThatThrownBy(() -> oneThread.fromCallback(() -> items.historyAsync("h", 0)))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(InvalidArgumentException.class);

        Versioned<Item> v4 = items.update("h", Item.named("four"), v3.version());
        client.maintenance().compact(v4.version(), false);
        History<Item> compacted = oneThread.fromCallback(() -> items.historyAsync("h")).orElseThrow();
        assertThat(compacted.versions()).first().isEqualTo(v4);
        assertThat(compacted.end()).isEqualTo(History.End.COMPACTED);
    }

    @Test
    void ttlCallsRenewReportAndKeepAliveAndRefuseWhatHasNoLease() throws Exception {
        Repository<Item> items = Item.repository(client, "async-ttl").build();
        items.create("t", Item.named("t"), Duration.ofSeconds(30));
        items.create("plain", Item.named("plain"));

        assertThat(oneThread.fromCallback(() -> items.refreshAsync("t"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(oneThread.fromCallback(() -> items.remainingTtlAsync("t")))
                .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        for (var call : List.<java.util.function.Function<String, CompletableFuture<?>>>of(items::refreshAsync,
                items::remainingTtlAsync, items::keepAliveAsync)) {
            assertThatThrownBy(() -> oneThread.fromCallback(() -> call.apply("plain")))
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("has no TTL");
            assertThatThrownBy(() -> oneThread.fromCallback(() -> call.apply("nobody")))
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(ResourceNotFoundException.class);
        }

        items.create("k", Item.named("k"), Duration.ofSeconds(2));
        try (KeepAlive keepAlive = oneThread.fromCallback(() -> items.keepAliveAsync("k"))) {
            // alive well past its TTL while kept alive
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> items.exists("k"));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> !items.exists("k"));
    }
}
