package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed watch events of a repository, against a real member. */
class RepositoryWatchTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Duration WAIT = Duration.ofSeconds(10);

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    /** The change events only (created, updated, deleted, unreadable). */
    static List<ResourceEvent<Item>> changes(List<ResourceEvent<Item>> events) {
        return events.stream().filter(e -> e instanceof ResourceEvent.Created || e instanceof ResourceEvent.Updated
                || e instanceof ResourceEvent.Deleted || e instanceof ResourceEvent.Unreadable).toList();
    }

    @Test
    void createUpdateAndDeleteArriveAsTypedEventsWithTheirVersions() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "watched").quota(3).build();
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(events::add)) {
                await().atMost(WAIT).until(() -> !events.isEmpty());
                assertThat(events.get(0)).isInstanceOf(ResourceEvent.Connected.class);

                Versioned<Item> v1 = items.create("w", Item.named("one"));
                Versioned<Item> v2 = items.update("w", Item.named("two"), v1.version());
                items.delete("w", v2.version());
                await().atMost(WAIT).until(() -> changes(events).size() >= 3);

                List<ResourceEvent<Item>> changes = changes(events);
                // the quota place written with each create and delete never shows
                assertThat(changes).hasSize(3);
                assertThat(changes.get(0)).isEqualTo(new ResourceEvent.Created<>(v1));
                assertThat(changes.get(1)).isEqualTo(new ResourceEvent.Updated<>(v2));
                assertThat(changes.get(2)).isInstanceOfSatisfying(ResourceEvent.Deleted.class, d -> {
                    assertThat(d.id()).isEqualTo("w");
                    assertThat(d.revision()).isGreaterThan(v2.version());
                    assertThat(d.last()).contains(v2);
                });
            }
        }
    }

    @Test
    void aWatchFromARevisionReplaysWhatWasWrittenSince() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "replay").build();
            items.create("before", Item.named("before"));
            Page<Item> listing = items.listPage(LabelSelector.everything(), 10, null);
            Versioned<Item> a = items.create("a", Item.named("a"));
            Versioned<Item> a2 = items.update("a", Item.named("a2"), a.version());
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(listing.revision() + 1, events::add)) {
                await().atMost(WAIT).until(() -> changes(events).size() >= 2);
                assertThat(changes(events)).containsExactly(new ResourceEvent.Created<>(a),
                        new ResourceEvent.Updated<>(a2));
            }
        }
    }

    @Test
    void anUnreadableValueIsReportedNotSkipped() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "unreadable").build();
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(events::add)) {
                await().atMost(WAIT).until(() -> !events.isEmpty());
                long revision = client.kv().put("unreadable/junk", "not json").revision();
                Versioned<Item> ok = items.create("ok", Item.named("ok"));
                await().atMost(WAIT).until(() -> changes(events).size() >= 2);
                assertThat(changes(events).get(0)).isInstanceOfSatisfying(ResourceEvent.Unreadable.class, u -> {
                    assertThat(u.id()).isEqualTo("junk");
                    assertThat(u.revision()).isEqualTo(revision);
                    assertThat(u.error().getMessage()).contains("resource 'junk'");
                });
                assertThat(changes(events).get(1)).isEqualTo(new ResourceEvent.Created<>(ok));
            }
        }
    }

    @Test
    void aWatchFromCompactedHistoryEndsWithACompactedEvent() throws Exception {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "compacted").build();
            Versioned<Item> first = items.create("c", Item.named("c"));
            Versioned<Item> later = items.update("c", Item::plusOne);
            client.maintenance().compact(later.version(), false);
            List<ResourceEvent<Item>> events = new CopyOnWriteArrayList<>();
            try (Watcher w = items.watch(first.version(), events::add)) {
                await().atMost(WAIT).until(() -> events.stream()
                        .anyMatch(e -> e instanceof ResourceEvent.Compacted));
                ResourceEvent.Compacted<?> c = (ResourceEvent.Compacted<?>) events.stream()
                        .filter(e -> e instanceof ResourceEvent.Compacted).findFirst().orElseThrow();
                assertThat(c.compactRevision()).isEqualTo(later.version());
                assertThat(c.requestedRevision()).isEqualTo(first.version());
                assertThat(changes(events)).isEmpty();
                await().atMost(WAIT).until(w::isClosed);
            }
        }
    }
}
