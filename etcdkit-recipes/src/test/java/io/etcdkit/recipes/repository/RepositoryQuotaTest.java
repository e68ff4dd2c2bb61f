package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.check.SemaphoreChecker;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota under concurrent creates from several clients, with deletes and lease expiry freeing places. */
class RepositoryQuotaTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final int QUOTA = 10;
    private static final int CLIENTS = 4;
    private static final int CREATES = 20;
    private static final Duration WAIT = Duration.ofSeconds(15);

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(10)).build();
    }

    /**
     * Feeds a repository watch into a checker (a created resource enters, a deleted one leaves) and a set, and
     * counts down {@code connected} once the watch is established.
     */
    static ResourceListener<Item> into(SemaphoreChecker checker, Set<String> present, CountDownLatch connected) {
        return event -> {
            if (event instanceof ResourceEvent.Connected<Item>) {
                connected.countDown();
            } else if (event instanceof ResourceEvent.Created<Item> c) {
                checker.entered(c.resource().id());
                present.add(c.resource().id());
            } else if (event instanceof ResourceEvent.Deleted<Item> d) {
                checker.left(d.id());
                present.remove(d.id());
            }
        };
    }

    /** Whether the watch-fed set shows exactly the resources that exist now (the watch has caught up). */
    static boolean caughtUp(Set<String> present, Repository<Item> view) {
        return Set.copyOf(present).equals(view.list().stream().map(Versioned::id).collect(Collectors.toSet()));
    }

    @Test
    void concurrentCreatesFromSeveralClientsNeverExceedTheQuota() throws Exception {
        List<EtcdClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(client());
        }
        try (EtcdClient observer = client()) {
            SemaphoreChecker checker = new SemaphoreChecker(QUOTA);
            Set<String> present = ConcurrentHashMap.newKeySet();
            Repository<Item> view = Item.repository(observer, "quota").quota(QUOTA).build();
            AtomicInteger created = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch connected = new CountDownLatch(1);
            try (Watcher w = view.watch(into(checker, present, connected))) {
                assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        Repository<Item> items = Item.repository(clients.get(c), "quota").quota(QUOTA).build();
                        int client = c;
                        done.add(pool.submit(() -> {
                            for (int i = 0; i < CREATES; i++) {
                                String id = "c" + client + "-" + i;
                                try {
                                    // every third create has a TTL, so places are also freed by lease expiry
                                    Versioned<Item> v = i % 3 == 0
                                            ? items.create(id, Item.named(id), Duration.ofSeconds(2))
                                            : items.create(id, Item.named(id));
                                    created.incrementAndGet();
                                    if (i % 2 == 1) {
                                        items.delete(id, v.version()); // churn: free the place again
                                    }
                                } catch (QuotaExceededException e) {
                                    assertThat(e.quota()).isEqualTo(QUOTA);
                                    refused.incrementAndGet();
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(120, TimeUnit.SECONDS);
                    }
                } finally {
                    pool.shutdownNow();
                }
                await().atMost(WAIT).until(() -> caughtUp(present, view));
                assertThat(view.count()).isLessThanOrEqualTo(QUOTA);
                assertThat(slots(observer, "quota")).isEqualTo(view.count());

                // the TTL resources expire, and their places with them: places never drift from resources
                await().atMost(WAIT).until(() -> view.list().stream().noneMatch(Versioned::hasTtl));
                await().atMost(WAIT).until(() -> caughtUp(present, view));
                assertThat(slots(observer, "quota")).isEqualTo(view.count());
            }
            SemaphoreChecker.Report report = checker.check();
            System.out.println("QUOTA: " + created + " created, " + refused + " refused; " + report.summary());
            report.assertClean();
            assertThat(report.maxConcurrent()).isLessThanOrEqualTo(QUOTA);
            assertThat(refused.get()).as("the quota was really reached").isPositive();
            assertThat(created.get() + refused.get()).isEqualTo(CLIENTS * CREATES);
        } finally {
            clients.forEach(EtcdClient::close);
        }
    }

    @Test
    void aDeletedOrExpiredResourceFreesItsPlace() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "places").quota(3).build();
            Versioned<Item> a = items.create("a", Item.named("a"));
            items.create("b", Item.named("b"));
            items.create("c", Item.named("c"), Duration.ofSeconds(2));
            assertThatThrownBy(() -> items.create("d", Item.named("d")))
                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                        assertThat(e.quota()).isEqualTo(3);
                        assertThat(e.inUse()).isEqualTo(3);
                        assertThat(e.getMessage()).contains("allows at most 3 resources and 3 exist")
                                .contains("Nothing was written");
                    });
            assertThat(items.exists("d")).isFalse();
            // creating an existing resource is the conflict it is, even with the quota full
            assertThatThrownBy(() -> items.create("a", Item.named("a")))
                    .isInstanceOfSatisfying(ResourceExistsException.class,
                            e -> assertThat(e.currentVersion()).isEqualTo(a.version()));

            items.delete("a", a.version());
            items.create("d", Item.named("d")); // the deleted resource's place
            assertThatThrownBy(() -> items.create("e", Item.named("e"))).isInstanceOf(QuotaExceededException.class);

            await().atMost(WAIT).until(() -> !items.exists("c")); // expired with its lease
            items.create("e", Item.named("e")); // the expired resource's place
            assertThatThrownBy(() -> items.create("f", Item.named("f"))).isInstanceOf(QuotaExceededException.class);

            assertThat(items.delete("b")).isTrue(); // the unconditional delete frees the place too
            items.create("f", Item.named("f"));
            assertThat(items.count()).isEqualTo(3);
            assertThat(slots(client, "places")).isEqualTo(3);
        }
    }

    @Test
    void aBatchNeedsRoomForAllItsCreatesOrWritesNothing() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "batch-places").quota(4).build();
            items.create("a", Item.named("a"));
            items.create("b", Item.named("b"));
            assertThatThrownBy(() -> items.batch().create("c", Item.named("c")).create("d", Item.named("d"))
                    .create("e", Item.named("e")).commit())
                    .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                        assertThat(e.requested()).isEqualTo(3);
                        assertThat(e.inUse()).isEqualTo(2);
                    });
            assertThat(items.count()).isEqualTo(2);
            items.batch().create("c", Item.named("c")).create("d", Item.named("d")).commit();
            assertThat(items.count()).isEqualTo(4);
            assertThat(slots(client, "batch-places")).isEqualTo(4);
        }
    }

    private static long slots(EtcdClient client, String prefix) {
        return client.kv().count(Range.prefix(".etcdkit/repository/" + prefix + "/quota/slot/"));
    }
}
