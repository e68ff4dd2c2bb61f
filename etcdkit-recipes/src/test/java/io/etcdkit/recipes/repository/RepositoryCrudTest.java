package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Create, read, update and delete with optimistic concurrency, against a real member. */
class RepositoryCrudTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void createGetUpdateDeleteRoundTrip() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "crud").build();
            assertThat(items.prefix()).isEqualTo("crud/");
            assertThat(items.get("a")).isEmpty();
            assertThat(items.exists("a")).isFalse();

            Versioned<Item> created = items.create("a", Item.labelled("first", Map.of("env", "prod")));
            assertThat(created.id()).isEqualTo("a");
            assertThat(created.version()).isPositive().isEqualTo(created.createRevision());
            assertThat(created.labels()).isEqualTo(Map.of("env", "prod"));
            assertThat(created.hasTtl()).isFalse();
            assertThat(items.get("a")).contains(created);
            assertThat(items.exists("a")).isTrue();
            // stored as the plain JSON of the value, at <prefix>/<id>
            KeyValue raw = client.kv().get("crud/a").orElseThrow();
            assertThat(raw.valueAsString()).contains("\"name\":\"first\"").doesNotContain("version");
            assertThat(raw.modRevision()).isEqualTo(created.version());

            Versioned<Item> updated = items.update("a", created.value().withName("second"), created.version());
            assertThat(updated.version()).isGreaterThan(created.version());
            assertThat(updated.createRevision()).isEqualTo(created.createRevision());
            assertThat(items.get("a").orElseThrow().value().name()).isEqualTo("second");
            assertThat(items.get("a").orElseThrow().version()).isEqualTo(updated.version());

            items.delete("a", updated.version());
            assertThat(items.get("a")).isEmpty();
            assertThat(items.delete("a")).isFalse();
        }
    }

    @Test
    void createOfAnExistingResourceFailsWithItsVersionAndWritesNothing() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "exists").build();
            Versioned<Item> first = items.create("x", Item.named("one"));
            assertThatThrownBy(() -> items.create("x", Item.named("two")))
                    .isInstanceOfSatisfying(ResourceExistsException.class, e -> {
                        assertThat(e.id()).isEqualTo("x");
                        assertThat(e.currentVersion()).isEqualTo(first.version());
                        assertThat(e.getMessage()).contains("resource 'x' already exists (version "
                                + first.version() + ")").contains("use update");
                    })
                    .isInstanceOf(ResourceConflictException.class);
            assertThat(items.get("x").orElseThrow().value().name()).isEqualTo("one");
        }
    }

    @Test
    void updateWithAStaleVersionCarriesTheCurrentVersion() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "conflict").build();
            Versioned<Item> v1 = items.create("c", Item.named("v1"));
            Versioned<Item> v2 = items.update("c", Item.named("v2"), v1.version());
            assertThatThrownBy(() -> items.update("c", Item.named("stale"), v1.version()))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.id()).isEqualTo("c");
                        assertThat(e.expectedVersion()).isEqualTo(v1.version());
                        assertThat(e.currentVersion()).isEqualTo(v2.version());
                        assertThat(e.getMessage()).contains("expected version " + v1.version()
                                + " but the current version is " + v2.version()).contains("Nothing was written");
                    });
            assertThat(items.get("c").orElseThrow().value().name()).isEqualTo("v2");
            // a deleted and re-created resource never matches an old version (revisions are not reused)
            items.delete("c", v2.version());
            Versioned<Item> again = items.create("c", Item.named("again"));
            assertThatThrownBy(() -> items.update("c", Item.named("x"), v2.version()))
                    .isInstanceOfSatisfying(VersionConflictException.class,
                            e -> assertThat(e.currentVersion()).isEqualTo(again.version()));
        }
    }

    @Test
    void updateAndDeleteOfAMissingResourceAreNotFound() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "missing").build();
            assertThatThrownBy(() -> items.update("m", Item.named("x"), 5))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                        assertThat(e.id()).isEqualTo("m");
                        assertThat(e.getMessage()).contains("resource 'm' does not exist");
                    });
            assertThatThrownBy(() -> items.delete("m", 5)).isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> items.update("m", Item::plusOne)).isInstanceOf(ResourceNotFoundException.class);
            assertThat(items.exists("m")).isFalse();
        }
    }

    @Test
    void deleteWithAnExpectedVersionRefusesAChangedResource() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "del").build();
            Versioned<Item> v1 = items.create("d", Item.named("v1"));
            Versioned<Item> v2 = items.update("d", Item.named("v2"), v1.version());
            assertThatThrownBy(() -> items.delete("d", v1.version()))
                    .isInstanceOfSatisfying(VersionConflictException.class,
                            e -> assertThat(e.currentVersion()).isEqualTo(v2.version()));
            assertThat(items.exists("d")).isTrue();
            items.delete("d", v2.version());
            assertThat(items.exists("d")).isFalse();
            items.create("d", Item.named("v3"));
            assertThat(items.delete("d")).isTrue();
            assertThat(items.exists("d")).isFalse();
        }
    }

    @Test
    void updateWithAFunctionAppliesTheChangeToTheCurrentValue() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "fn").build();
            items.create("f", Item.named("f"));
            Versioned<Item> after = items.update("f", Item::plusOne);
            assertThat(after.value().count()).isEqualTo(1);
            assertThat(items.update("f", Item::plusOne).value().count()).isEqualTo(2);
            assertThatThrownBy(() -> items.update("f", i -> null)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("returned null");
        }
    }

    @Test
    void badIdsLabelsAndArgumentsAreRefusedBeforeAnythingIsWritten() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "bad").build();
            for (String id : new String[] {"", ".hidden", "a/b", "-x", "has space", "x".repeat(254)}) {
                assertThatThrownBy(() -> items.create(id, Item.named("n")))
                        .as(id).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid resource id");
            }
            assertThatThrownBy(() -> items.create("l", Item.labelled("n", Map.of("bad key", "v"))))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("resource 'l' has an invalid label");
            assertThatThrownBy(() -> items.update("l", Item.named("n"), 0))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be positive");
            assertThatThrownBy(() -> items.create("t", Item.named("n"), Duration.ZERO))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("TTL must be positive");
            assertThatThrownBy(() -> Repository.builder(client, "", Item.class).build())
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("non-empty prefix");
            assertThat(client.kv().listKeys("bad/")).isEmpty();
        }
    }

    @Test
    void aMalformedStoredValueIsATypedErrorNamingTheResource() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "malformed").build();
            client.kv().put("malformed/broken", "{not json");
            assertThatThrownBy(() -> items.get("broken"))
                    .isInstanceOf(ValueDecodingException.class)
                    .hasMessageContaining("resource 'broken' (key 'malformed/broken'")
                    .hasMessageContaining("malformed JSON");
            assertThatThrownBy(items::list).isInstanceOf(ValueDecodingException.class);
            // nothing stored was changed by the failed reads
            assertThat(client.kv().get("malformed/broken").orElseThrow().valueAsString()).isEqualTo("{not json");
        }
    }

    @Test
    void aNamespacedClientWorksUnchanged() {
        try (EtcdClient client = client()) {
            EtcdClient tenant = client.withNamespace("tenant-a/");
            Repository<Item> items = Item.repository(tenant, "things").build();
            Versioned<Item> v = items.create("n1", Item.named("in a namespace"));
            items.update("n1", Item.named("changed"), v.version());
            assertThat(client.kv().get("tenant-a/things/n1")).isPresent();
            assertThat(items.list()).extracting(Versioned::id).containsExactly("n1");
            assertThat(Item.repository(client, "things").build().exists("n1")).isFalse();
        }
    }
}
