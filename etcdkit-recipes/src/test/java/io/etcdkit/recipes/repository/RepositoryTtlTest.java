package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resources with a TTL on their own lease, against a real member (etcd's minimum TTL is 2 s here). */
class RepositoryTtlTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(15);

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    static boolean leaseGone(EtcdClient client, long lease) {
        try {
            client.leases().timeToLive(lease);
            return false;
        } catch (LeaseNotFoundException e) {
            return true;
        }
    }

    @Test
    void aTtlResourceVanishesAfterItsTtlAndWatchersSeeTheDelete() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ttl").build();
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(events::add)) {
                await().atMost(WAIT).until(() -> !events.isEmpty());
                Versioned<Item> v = items.create("t", Item.named("short-lived"), TTL);
                assertThat(v.hasTtl()).isTrue();
                assertThat(items.get("t").orElseThrow().leaseId()).isEqualTo(v.leaseId());
                assertThat(client.leases().timeToLive(v.leaseId()).granted()).isEqualTo(TTL);
                assertThat(items.remainingTtl("t")).isBetween(Duration.ZERO, TTL);

                await().atMost(WAIT).until(() -> !items.exists("t"));
                await().atMost(WAIT).until(() -> events.stream().anyMatch(e ->
                        e instanceof ResourceEvent.Deleted<Item> d && d.id().equals("t")));
            }
        }
    }

    @Test
    void updatesKeepTheResourceOnItsLease() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ttl-update").build();
            Versioned<Item> v1 = items.create("u", Item.named("v1"), TTL);
            Versioned<Item> v2 = items.update("u", Item.named("v2"), v1.version());
            assertThat(v2.leaseId()).isEqualTo(v1.leaseId());
            Versioned<Item> v3 = items.update("u", Item::plusOne);
            assertThat(v3.leaseId()).isEqualTo(v1.leaseId());
            long revision = items.batch().update("u", Item.named("v4"), v3.version()).commit();
            Versioned<Item> v4 = items.get("u").orElseThrow();
            assertThat(v4.version()).isEqualTo(revision);
            assertThat(v4.leaseId()).isEqualTo(v1.leaseId());
            KeyValue raw = client.kv().get("ttl-update/u").orElseThrow();
            assertThat(raw.lease()).isEqualTo(v1.leaseId());
            // so the update did not make it permanent: it still expires with the lease
            await().atMost(WAIT).until(() -> !items.exists("u"));
        }
    }

    @Test
    void keepAliveHoldsTheResourcePastItsTtlAndClosingLetsItExpire() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ttl-keep").build();
            items.create("k", Item.named("kept"), TTL);
            try (KeepAlive keepAlive = items.keepAlive("k")) {
                // for twice the TTL the resource must exist at every probe
                await().during(TTL.multipliedBy(2)).atMost(TTL.multipliedBy(2).plus(WAIT))
                        .pollInterval(Duration.ofMillis(100)).until(() -> items.exists("k"));
                assertThat(items.refresh("k")).isEqualTo(TTL);
            }
            await().atMost(WAIT).until(() -> !items.exists("k"));
            assertThatThrownBy(() -> items.refresh("k")).isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> items.keepAlive("k")).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void refreshOfAResourceWithoutTtlSaysSo() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ttl-none").build();
            items.create("p", Item.named("permanent"));
            assertThatThrownBy(() -> items.refresh("p")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("resource 'p' has no TTL");
            assertThatThrownBy(() -> items.remainingTtl("p")).isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> items.remainingTtl("absent")).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void deletingATtlResourceRevokesItsLeaseAndAFailedCreateRevokesTheNewOne() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "ttl-revoke").quota(5).build();
            Versioned<Item> v = items.create("r", Item.named("r"), Duration.ofSeconds(60));
            items.delete("r", v.version());
            await().atMost(WAIT).until(() -> leaseGone(client, v.leaseId()));

            Versioned<Item> kept = items.create("r", Item.named("r"), Duration.ofSeconds(60));
            List<Long> before = client.leases().list();
            assertThatThrownBy(() -> items.create("r", Item.named("again"), Duration.ofSeconds(60)))
                    .isInstanceOf(ResourceExistsException.class);
            await().atMost(WAIT).until(() -> client.leases().list().equals(before));
            assertThat(items.delete("r")).isTrue();
            await().atMost(WAIT).until(() -> leaseGone(client, kept.leaseId()));
        }
    }
}
