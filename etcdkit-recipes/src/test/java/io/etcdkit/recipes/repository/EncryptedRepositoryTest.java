package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.IntegrityCheckFailedException;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A repository whose values are encrypted on the client, against a real member. */
class EncryptedRepositoryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final EncryptedCodec<Item> ITEMS =
            Codecs.encrypted(KeyRing.of("k1", EncryptionKey.generate()), JacksonCodecs.json(Item.class));

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    @Test
    void encryptedResourcesOfANamespacedClientRoundTripThroughEveryRead() {
        try (EtcdClient root = client()) {
            EtcdClient tenant = root.withNamespace("enc-tenant/");
            Repository<Item> items = Item.repository(tenant, "vault").codec(ITEMS).build();
            Versioned<Item> v1 = items.create("s1", Item.labelled("secret one", Map.of("tier", "gold")));
            items.create("s2", Item.labelled("secret two", Map.of("tier", "silver")));
            Versioned<Item> v2 = items.update("s1", v1.value().plusOne(), v1.version());

            assertThat(items.get("s1")).contains(v2);
            assertThat(items.list("tier=gold")).containsExactly(v2);
            assertThat(items.history("s1").orElseThrow().versions()).extracting(v -> v.value().count())
                    .containsExactly(1L, 0L);
            assertThat(items.update("s2", Item::plusOne).value().count()).isEqualTo(1);

            // etcd holds ciphertext, bound to the key as the namespaced client sees it
            KeyValue stored = tenant.kv().get("vault/s1").orElseThrow();
            assertThat(stored.valueAsString()).doesNotContain("secret one");
            assertThat(ITEMS.decode(stored)).isEqualTo(v2.value());
            assertThat(root.kv().get("enc-tenant/vault/s1").orElseThrow().value()).isEqualTo(stored.value());
        }
    }

    @Test
    void aCiphertextCopiedFromAnotherResourceIsUnreadableNeverAccepted() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "enc-copied").codec(ITEMS).build();
            items.create("admin", Item.labelled("admin", Map.of("role", "admin")));
            Versioned<Item> guest = items.create("guest", Item.labelled("guest", Map.of("role", "guest")));
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(guest.version() + 1, events::add)) {
                // someone with write access but no key copies the admin's ciphertext over the guest
                Bytes admin = client.kv().get("enc-copied/admin").orElseThrow().value();
                long copied = client.kv().put(Bytes.of("enc-copied/guest"), admin).revision();

                assertThatThrownBy(() -> items.get("guest")).isInstanceOf(ValueDecodingException.class)
                        .hasMessageContaining("resource 'guest'")
                        .hasCauseInstanceOf(IntegrityCheckFailedException.class);
                assertThatThrownBy(() -> items.list("role=admin")).isInstanceOf(ValueDecodingException.class)
                        .hasCauseInstanceOf(IntegrityCheckFailedException.class);
                await().atMost(WAIT).until(() -> RepositoryWatchTest.changes(events).size() == 1);
                assertThat(RepositoryWatchTest.changes(events)).singleElement()
                        .isInstanceOfSatisfying(ResourceEvent.Unreadable.class, u -> {
                            assertThat(u.id()).isEqualTo("guest");
                            assertThat(u.revision()).isEqualTo(copied);
                            assertThat(u.error()).hasCauseInstanceOf(IntegrityCheckFailedException.class);
                        });
            }
            // the admin resource itself is untouched and readable
            assertThat(items.get("admin").orElseThrow().labels()).containsEntry("role", "admin");
        }
    }
}
