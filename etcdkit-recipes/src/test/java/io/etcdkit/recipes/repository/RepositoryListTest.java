package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing by label selector and paging at one pinned revision, against a real member. */
class RepositoryListTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(Duration.ofSeconds(5)).build();
    }

    static List<String> ids(List<Versioned<Item>> resources) {
        return resources.stream().map(Versioned::id).toList();
    }

    @Test
    void selectorsPickResourcesByLabel() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "sel").build();
            items.create("a", Item.labelled("a", Map.of("env", "prod", "tier", "web")));
            items.create("b", Item.labelled("b", Map.of("env", "prod", "tier", "db", "canary", "yes")));
            items.create("c", Item.labelled("c", Map.of("env", "dev", "tier", "web")));
            items.create("d", Item.named("d"));

            assertThat(ids(items.list())).containsExactly("a", "b", "c", "d");
            assertThat(ids(items.list(""))).containsExactly("a", "b", "c", "d");
            assertThat(ids(items.list("env=prod"))).containsExactly("a", "b");
            assertThat(ids(items.list("env==prod"))).containsExactly("a", "b");
            assertThat(ids(items.list("env!=prod"))).containsExactly("c", "d");
            assertThat(ids(items.list("tier in (web,cache)"))).containsExactly("a", "c");
            assertThat(ids(items.list("tier notin (web)"))).containsExactly("b", "d");
            assertThat(ids(items.list("canary"))).containsExactly("b");
            assertThat(ids(items.list("!canary"))).containsExactly("a", "c", "d");
            assertThat(ids(items.list("env=prod,!canary"))).containsExactly("a");
            assertThat(ids(items.list("env=prod, tier in (db), canary=yes"))).containsExactly("b");
            assertThat(ids(items.list("env=staging"))).isEmpty();
            assertThat(items.list("env=prod").get(0).labels()).containsEntry("tier", "web");
            assertThatThrownBy(() -> items.list("env in prod"))
                    .isInstanceOfSatisfying(InvalidSelectorException.class,
                            e -> assertThat(e.position()).isEqualTo(7));
        }
    }

    @Test
    void quotaBookkeepingNeverShowsInLists() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "hidden").quota(5).build();
            items.create("x", Item.named("x"));
            items.create("y", Item.named("y"));
            assertThat(client.kv().listKeys("hidden/")).hasSize(2); // the two resources: quota places live elsewhere
            assertThat(client.kv().listKeys(".etcdkit/repository/hidden/quota/slot/")).hasSize(2);
            assertThat(ids(items.list())).containsExactly("x", "y");
            assertThat(items.count()).isEqualTo(2);
            assertThat(ids(items.listPage(LabelSelector.everything(), 1, null).items())).containsExactly("x");
        }
    }

    @Test
    void pagesStayAtTheFirstPagesRevisionWhileOthersWrite() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "paged").build();
            for (int i = 0; i < 10; i++) {
                items.create(String.format("r%02d", i), Item.named("r" + i));
            }
            Page<Item> page = items.listPage(LabelSelector.everything(), 3, null);
            assertThat(ids(page.items())).containsExactly("r00", "r01", "r02");
            long revision = page.revision();
            // writes between pages: a new resource, a delete, an update; none may show
            items.create("r035", Item.named("late"));
            items.delete("r05");
            items.update("r07", Item::plusOne);
            List<String> seen = new ArrayList<>(ids(page.items()));
            while (page.hasMore()) {
                page = items.listPage(LabelSelector.everything(), 3, page.continueToken().orElseThrow());
                assertThat(page.revision()).isEqualTo(revision);
                assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
                page.items().forEach(r -> assertThat(r.version()).isLessThanOrEqualTo(revision));
                seen.addAll(ids(page.items()));
            }
            assertThat(seen).containsExactly("r00", "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09");
            // a new listing sees the writes
            assertThat(ids(items.list())).contains("r035").doesNotContain("r05");
            assertThat(items.list().stream().filter(r -> r.id().equals("r07")).findFirst().orElseThrow()
                    .value().count()).isEqualTo(1);
        }
    }

    @Test
    void pagingWithASelectorFillsPagesAndEndsWithoutAToken() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "selpage").build();
            for (int i = 0; i < 12; i++) {
                String colour = i % 3 == 0 ? "red" : "blue";
                items.create(String.format("s%02d", i), Item.labelled("s" + i, Map.of("colour", colour)));
            }
            LabelSelector red = LabelSelector.parse("colour=red");
            Page<Item> first = items.listPage(red, 2, null);
            assertThat(ids(first.items())).containsExactly("s00", "s03");
            Page<Item> second = items.listPage(red, 2, first.continueToken().orElseThrow());
            assertThat(ids(second.items())).containsExactly("s06", "s09");
            // no red resource after s09: the last page may be empty, and it has no token
            Page<Item> last = second.continueToken().map(t -> items.listPage(red, 2, t)).orElse(second);
            assertThat(last.items()).allMatch(r -> r.labels().get("colour").equals("red"));
            assertThat(last.hasMore()).isFalse();
            Page<Item> all = items.listPage(LabelSelector.everything(), 100, null);
            assertThat(all.items()).hasSize(12);
            assertThat(all.continueToken()).isEmpty();
        }
    }

    @Test
    void aTokenPastCompactionExpiresAndABadTokenIsRefused() {
        try (EtcdClient client = client()) {
            Repository<Item> items = Item.repository(client, "expire").build();
            for (int i = 0; i < 4; i++) {
                items.create("e" + i, Item.named("e" + i));
            }
            Page<Item> first = items.listPage(LabelSelector.everything(), 2, null);
            String token = first.continueToken().orElseThrow();
            Versioned<Item> later = items.update("e0", Item::plusOne);
            client.maintenance().compact(later.version(), false);
            assertThatThrownBy(() -> items.listPage(LabelSelector.everything(), 2, token))
                    .isInstanceOf(ContinueTokenExpiredException.class)
                    .hasMessageContaining("start the listing again without a token");

            assertThatThrownBy(() -> items.listPage(LabelSelector.everything(), 2, "not a token!"))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid continue token");
            Repository<Item> other = Item.repository(client, "other").build();
            assertThatThrownBy(() -> other.listPage(LabelSelector.everything(), 2, token))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("issued by the repository under 'expire/'");
            assertThatThrownBy(() -> items.listPage(LabelSelector.everything(), 0, null))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("page size");
        }
    }
}
