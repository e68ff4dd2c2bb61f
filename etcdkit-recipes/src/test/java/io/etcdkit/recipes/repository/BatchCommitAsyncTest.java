package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Batch#commitAsync()} against a real member: all or nothing as the blocking form, the same typed failures,
 * with and without a quota, called from inside a callback of a one-thread callback executor (anything blocking
 * that thread would never complete).
 */
@Timeout(60)
class BatchCommitAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static CallbackThreadClient oneThread;
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, "batch-async-callback");
        client = oneThread.client();
    }

    @AfterAll
    static void close() {
        oneThread.close();
    }

    @Test
    void aBatchAppliesEveryWriteAtOneRevision() {
        Repository<Item> items = Item.repository(client, "batch-async").build();
        Versioned<Item> a = items.create("a", Item.named("a"));
        Versioned<Item> b = items.create("b", Item.named("b"));
        Batch<Item> batch = items.batch().create("c", Item.named("c")).create("t", Item.named("t"), Duration.ofSeconds(30))
                .update("a", Item.named("a2"), a.version()).delete("b", b.version());
        long revision = oneThread.fromCallback(batch::commitAsync);
        assertThat(items.get("a").orElseThrow().version()).isEqualTo(revision);
        assertThat(items.get("a").orElseThrow().value().name()).isEqualTo("a2");
        assertThat(items.get("c").orElseThrow().version()).isEqualTo(revision);
        assertThat(items.get("t").orElseThrow().hasTtl()).isTrue();
        assertThat(items.exists("b")).isFalse();
    }

    @Test
    void conflictsFailTheFutureListingEveryOneAndWriteNothing() {
        Repository<Item> items = Item.repository(client, "batch-async-conflict").build();
        Versioned<Item> a = items.create("a", Item.named("a"));
        Versioned<Item> a2 = items.update("a", Item.named("a2"), a.version());
        items.create("x", Item.named("x"));
        long leasesBefore = client.leases().list().size();
        Batch<Item> batch = items.batch().create("x", Item.named("again")).create("n", Item.named("n"), Duration.ofSeconds(30))
                .update("a", Item.named("stale"), a.version()).delete("gone", 5);
        assertThatThrownBy(() -> oneThread.fromCallback(batch::commitAsync))
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(BatchConflictException.class, e -> assertThat(e.conflicts())
                        .extracting(Conflict::id).containsExactlyInAnyOrder("x", "a", "gone"));
        assertThat(items.exists("n")).isFalse();
        assertThat(items.get("a")).contains(a2);
        // the lease granted for "n" is revoked again (in the background)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> client.leases().list().size() == leasesBefore);

        assertThatThrownBy(() -> oneThread.fromCallback(() -> items.batch().commitAsync()))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void withAQuotaCreatesTakePlacesDeletesReleaseThemAndTooManyAreRefused() {
        Repository<Item> items = Item.repository(client, "batch-async-quota").quota(3).build();
        Versioned<Item> a = items.create("a", Item.named("a"));
        oneThread.fromCallback(() -> items.batch().create("b", Item.named("b")).delete("a", a.version()).commitAsync());
        assertThat(slots("batch-async-quota")).isEqualTo(1);
        assertThatThrownBy(() -> oneThread.fromCallback(() -> items.batch().create("c", Item.named("c"))
                .create("d", Item.named("d")).create("e", Item.named("e")).commitAsync()))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(QuotaExceededException.class);
        // a create of an existing resource is reported as the conflict it is, not as the quota being full
        assertThatThrownBy(() -> oneThread.fromCallback(() -> items.batch().create("b", Item.named("b")).create("c",
                Item.named("c")).create("d", Item.named("d")).commitAsync()))
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(BatchConflictException.class);
        oneThread.fromCallback(() -> items.batch().create("c", Item.named("c")).create("d", Item.named("d"))
                .commitAsync());
        assertThat(items.count()).isEqualTo(3);
        assertThat(slots("batch-async-quota")).isEqualTo(3);
    }

    @Test
    void anUpdateKeepsTheForeignLabelsOfTheVersionItReplaces() {
        Repository<Item> items = Item.repository(client, "batch-async-foreign").build();
        client.kv().put("batch-async-foreign/f",
                "{\"name\":\"from python\",\"count\":0,\"labels\":{\"Team Name\":\"a b\",\"env\":\"prod\"}}");
        Versioned<Item> read = items.get("f").orElseThrow();
        oneThread.fromCallback(() -> items.batch().update("f", read.value().plusOne(), read.version())
                .create("g", Item.labelled("g", Map.of("env", "dev"))).commitAsync());
        assertThat(items.get("f").orElseThrow().labels()).containsEntry("Team Name", "a b");
        assertThat(items.get("f").orElseThrow().value().count()).isEqualTo(1);
    }

    private static long slots(String prefix) {
        return client.kv().count(Range.prefix(".etcdkit/repository/" + prefix + "/quota/slot/"));
    }
}
