package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Version history through etcd's revisions, up to the creation or to compacted history. */
class RepositoryHistoryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void historyWalksBackToTheCreationNewestFirst() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "hist").build();
            Versioned<Item> v1 = items.create("h", Item.named("v1"));
            items.create("other", Item.named("noise")); // revisions of other keys in between are skipped
            Versioned<Item> v2 = items.update("h", Item.named("v2"), v1.version());
            items.update("other", Item::plusOne);
            Versioned<Item> v3 = items.update("h", Item.named("v3"), v2.version());
            Versioned<Item> v4 = items.update("h", Item.named("v4"), v3.version());

            History<Item> history = items.history("h").orElseThrow();
            assertThat(history.versions()).containsExactly(v4, v3, v2, v1);
            assertThat(history.end()).isEqualTo(History.End.CREATED);
            assertThat(history.isComplete()).isTrue();
            assertThat(history.current()).isEqualTo(v4);

            History<Item> limited = items.history("h", 2).orElseThrow();
            assertThat(limited.versions()).containsExactly(v4, v3);
            assertThat(limited.end()).isEqualTo(History.End.LIMIT);
            assertThat(items.history("nope")).isEmpty();
        }
    }

    @Test
    void historyOfARecreatedResourceStartsAtItsRecreation() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "hist-re").build();
            Versioned<Item> old = items.create("r", Item.named("old"));
            items.delete("r", old.version());
            Versioned<Item> n1 = items.create("r", Item.named("new"));
            Versioned<Item> n2 = items.update("r", Item.named("newer"), n1.version());
            History<Item> history = items.history("r").orElseThrow();
            assertThat(history.versions()).containsExactly(n2, n1);
            assertThat(history.end()).isEqualTo(History.End.CREATED);
        }
    }

    @Test
    void compactedHistoryIsReportedAsIncomplete() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "hist-compact").build();
            Versioned<Item> v1 = items.create("c", Item.named("v1"));
            Versioned<Item> v2 = items.update("c", Item.named("v2"), v1.version());
            Versioned<Item> v3 = items.update("c", Item.named("v3"), v2.version());
            client.maintenance().compact(v3.version(), false);
            Versioned<Item> v4 = items.update("c", Item.named("v4"), v3.version());

            History<Item> history = items.history("c").orElseThrow();
            // v3 is still readable (the latest version at the compaction point is kept); v2 and v1 are gone
            assertThat(history.versions()).containsExactly(v4, v3);
            assertThat(history.end()).isEqualTo(History.End.COMPACTED);
            assertThat(history.isComplete()).isFalse();
        }
    }
}
