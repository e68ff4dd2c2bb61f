package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repository in a store it shares with other programs (the Python clients of the system it replaces):
 * unconditional set, ids-only listing, bookkeeping outside the prefix, and foreign labels kept on update.
 */
class RepositorySharedStoreTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void setCreatesThenOverwritesWithoutAVersion() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "upsert").build();
            Versioned<Item> created = items.set("a", Item.named("first"));
            assertThat(created.version()).isEqualTo(created.createRevision());
            Versioned<Item> overwritten = items.set("a", Item.named("second"));
            assertThat(overwritten.version()).isGreaterThan(created.version());
            assertThat(overwritten.createRevision()).isEqualTo(created.createRevision());
            assertThat(items.get("a").orElseThrow()).isEqualTo(overwritten);
            assertThat(client.kv().get("upsert/a").orElseThrow().valueAsString()).contains("\"second\"");

            // a TTL resource stays on its lease
            Versioned<Item> leased = items.create("t", Item.named("t"), Duration.ofSeconds(30));
            Versioned<Item> set = items.set("t", Item.named("t2"));
            assertThat(set.leaseId()).isEqualTo(leased.leaseId()).isNotZero();
            assertThat(client.kv().get("upsert/t").orElseThrow().lease()).isEqualTo(leased.leaseId());
        }
    }

    @Test
    void setUnderAQuotaTakesAPlaceOnlyWhenItCreates() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "upsert-quota").quota(1).build();
            items.set("a", Item.named("1"));
            items.set("a", Item.named("2")); // an overwrite needs no place
            assertThat(items.get("a").orElseThrow().value().name()).isEqualTo("2");
            assertThatThrownBy(() -> items.set("b", Item.named("1"))).isInstanceOf(QuotaExceededException.class);
        }
    }

    @Test
    void keysListsIdsByGlobWithoutDecodingValues() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ids").quota(10).build();
            items.create("order-1", Item.named("1"));
            items.create("order-2", Item.named("2"));
            items.create("invoice-1", Item.named("3"));
            client.kv().put("ids/order-3", "not json: written by another program");
            assertThatThrownBy(items::list).isInstanceOf(ValueDecodingException.class);

            assertThat(items.keys("order-*")).containsExactly("order-1", "order-2", "order-3");
            assertThat(items.keys("*-1")).containsExactly("invoice-1", "order-1");
            assertThat(items.keys("order-?")).hasSize(3);
            assertThat(items.keys()).containsExactly("invoice-1", "order-1", "order-2", "order-3");
            assertThat(items.keys("nothing*")).isEmpty();
            assertThatThrownBy(() -> items.keys("")).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void quotaBookkeepingLivesOutsideThePrefixAndOldPlacesStillCount() {
        try (EtcdClient client = client()) {
            // a resource created by an earlier version, holding its place inside the prefix
            client.kv().commit(Transaction.when().then(Put.of("shared/old", "{\"name\":\"old\"}"),
                    Put.of("shared/.quota/slot/0", "old")));
            Repository<Item> items = Item.repository(client, "shared").quota(2).build();
            items.create("new1", Item.named("new1"));
            // the new place is not under the prefix (only the old one is, until it is released)
            assertThat(client.kv().list("shared/")).extracting(KeyValue::keyAsString)
                    .containsExactly("shared/.quota/slot/0", "shared/new1", "shared/old");
            assertThat(client.kv().listKeys(".etcdkit/repository/shared/quota/slot/")).hasSize(1);
            assertThatThrownBy(() -> items.create("new2", Item.named("new2")))
                    .isInstanceOf(QuotaExceededException.class);
            assertThat(items.delete("old")).isTrue(); // releases the old place too
            assertThat(client.kv().listKeys("shared/")).extracting(b -> b.toStringUtf8())
                    .containsExactly("shared/new1");
            items.create("new2", Item.named("new2"));
            assertThat(client.kv().listKeys("shared/")).hasSize(2);
            assertThat(client.kv().listKeys(".etcdkit/repository/shared/quota/slot/")).hasSize(2);
        }
    }

    @Test
    void updatingKeepsForeignLabelsAndChecksOnlyTheLabelsItSets() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "foreign").build();
            client.kv().put("foreign/f",
                    "{\"name\":\"from python\",\"count\":0,\"labels\":{\"Team Name\":\"a b\",\"env\":\"prod\"}}");
            Versioned<Item> read = items.get("f").orElseThrow();
            assertThat(read.labels()).containsEntry("Team Name", "a b");

            Versioned<Item> updated = items.update("f", Item::plusOne);
            assertThat(updated.labels()).containsEntry("Team Name", "a b").containsEntry("env", "prod");
            assertThat(client.kv().get("foreign/f").orElseThrow().valueAsString()).contains("\"Team Name\":\"a b\"");
            Versioned<Item> set = items.set("f", updated.value().withName("set"));
            assertThat(set.labels()).containsEntry("Team Name", "a b");

            // a label this update sets (new key, or a changed value) is still checked
            Map<String, String> changed = Map.of("Team Name", "c d", "env", "prod");
            assertThatThrownBy(() -> items.update("f", i -> new Item(i.name(), i.count(), changed)))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Team Name");
            assertThatThrownBy(() -> items.create("g", Item.labelled("g", Map.of("Bad Key!", "x"))))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThat(items.get("f").orElseThrow().value().name()).isEqualTo("set");
        }
    }
}
