package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batches: one transaction, all or nothing, every conflict listed. */
class RepositoryBatchTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void aBatchAppliesEveryWriteAtOneRevision() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "batch-ok").build();
            Versioned<Item> a = items.create("a", Item.named("a"));
            Versioned<Item> gone = items.create("gone", Item.named("gone"));
            long revision = items.batch()
                    .create("x", Item.named("x"))
                    .create("y", Item.named("y"), Duration.ofSeconds(60))
                    .update("a", Item.named("a2"), a.version())
                    .delete("gone", gone.version())
                    .commit();
            assertThat(items.get("x").orElseThrow().version()).isEqualTo(revision);
            assertThat(items.get("y").orElseThrow().version()).isEqualTo(revision);
            assertThat(items.get("y").orElseThrow().hasTtl()).isTrue();
            Versioned<Item> a2 = items.get("a").orElseThrow();
            assertThat(a2.version()).isEqualTo(revision);
            assertThat(a2.value().name()).isEqualTo("a2");
            assertThat(items.exists("gone")).isFalse();
        }
    }

    @Test
    void aConflictAppliesNothingAndListsEveryConflictWithItsCurrentVersion() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "batch-conflict").build();
            Versioned<Item> existing = items.create("existing", Item.named("e"));
            Versioned<Item> stale = items.create("stale", Item.named("s"));
            Versioned<Item> fresh = items.update("stale", Item.named("s2"), stale.version());
            Versioned<Item> fine = items.create("fine", Item.named("f"));
            long before = client.kv().range(Range.key("batch-conflict/fine")).revision();

            Batch<Item> batch = items.batch()
                    .create("new", Item.named("n"))
                    .create("existing", Item.named("dup"))
                    .update("stale", Item.named("lost"), stale.version())
                    .delete("missing", 7)
                    .update("fine", Item.named("f2"), fine.version());
            assertThat(batch.size()).isEqualTo(5);
            assertThatThrownBy(batch::commit).isInstanceOfSatisfying(BatchConflictException.class, e -> {
                assertThat(e.conflicts()).containsExactly(
                        new Conflict("existing", 0, existing.version()),
                        new Conflict("stale", stale.version(), fresh.version()),
                        new Conflict("missing", 7, 0));
                assertThat(e.getMessage()).contains("3 of its resources conflict")
                        .contains("'existing' (expected absent, found version " + existing.version() + ")")
                        .contains("'missing' (expected version 7, found absent)")
                        .contains("Nothing was written");
            });
            // nothing of the batch was applied
            assertThat(items.exists("new")).isFalse();
            assertThat(items.get("existing").orElseThrow()).isEqualTo(existing);
            assertThat(items.get("stale").orElseThrow()).isEqualTo(fresh);
            assertThat(items.get("fine").orElseThrow()).isEqualTo(fine);
            assertThat(client.kv().range(Range.key("batch-conflict/fine")).revision())
                    .isEqualTo(before);
        }
    }

    @Test
    void aBatchOverTheOperationLimitIsRefusedBeforeSendingAndSaysTheLimit() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).maxTxnOps(10).build()) {
            Repository<Item> items = Item.repository(client, "batch-big").build();
            Batch<Item> batch = items.batch();
            for (int i = 0; i < 11; i++) {
                batch.create("b" + i, Item.named("b" + i));
            }
            assertThatThrownBy(batch::commit).isInstanceOfSatisfying(BatchTooLargeException.class, e -> {
                assertThat(e.writes()).isEqualTo(11);
                assertThat(e.operations()).isEqualTo(11);
                assertThat(e.getMessage()).contains("a batch of 11 writes needs 11 operations")
                        .contains("at most 10");
            }).isInstanceOf(TooManyOperationsException.class);

            // with a quota every create also takes a place: 6 creates need 12 operations
            Repository<Item> limited = Item.repository(client, "batch-big-quota").quota(100).build();
            Batch<Item> six = limited.batch();
            for (int i = 0; i < 6; i++) {
                six.create("q" + i, Item.named("q" + i));
            }
            assertThatThrownBy(six::commit).isInstanceOfSatisfying(BatchTooLargeException.class,
                    e -> assertThat(e.operations()).isEqualTo(12));
            assertThat(client.kv().listKeys("batch-big")).isEmpty();
            Batch<Item> ten = items.batch();
            for (int i = 0; i < 10; i++) {
                ten.create("b" + i, Item.named("b" + i));
            }
            ten.commit();
            assertThat(items.count()).isEqualTo(10);
        }
    }

    @Test
    void aBatchRefusesDuplicateIdsAndEmptiness() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "batch-bad").build();
            assertThatThrownBy(() -> items.batch().commit()).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("at least one write");
            assertThatThrownBy(() -> items.batch().create("d", Item.named("1")).update("d", Item.named("2"), 5)
                    .commit()).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("appears twice");
            assertThatThrownBy(() -> items.batch().create("no/slash", Item.named("1")))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThat(items.count()).isZero();
        }
    }
}
