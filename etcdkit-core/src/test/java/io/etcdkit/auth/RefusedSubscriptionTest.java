package io.etcdkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live subscription whose watch the server refuses when it is re-created (the user lost the permission to read
 * the prefix, and the member restarted under the stream) has ended: it delivers {@link EndedEvent} and
 * {@link Watcher#isClosed()} says so (it used to stay false once the snapshot was done).
 */
@Timeout(90)
class RefusedSubscriptionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().auth(true).build();

    @Test
    void aSubscriptionRefusedOnResumingHasEndedAndSaysSo() throws Exception {
        try (EtcdClient root = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .credentials("root", ETCD.cluster().rootPassword()).deadline(Duration.ofSeconds(5)).build()) {
            Auth auth = root.auth();
            auth.addUser("reader", "reader-pw");
            auth.addRole("prefix-reader");
            auth.grantPermission("prefix-reader", Permission.prefix(PermissionType.READ, "refused/"));
            auth.grantRole("reader", "prefix-reader");
            root.kv().put("refused/a", "1");

            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            try (EtcdClient reader = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                    .credentials("reader", "reader-pw").deadline(Duration.ofSeconds(5)).build();
                 Watcher subscription = reader.watches().subscribe(Subscribe.prefix("refused/"), events::add)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> events.stream().anyMatch(e -> e instanceof SnapshotCompleteEvent));
                assertThat(subscription.isClosed()).isFalse();

                auth.revokePermission("prefix-reader", Permission.prefix(PermissionType.READ, "refused/"));
                ETCD.cluster().members().get(0).restart(); // the stream breaks; its watches are created again

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> events.stream().anyMatch(e -> e instanceof EndedEvent));
                assertThat(subscription.isClosed()).as("ended by the server's refusal").isTrue();
                assertThat(events).filteredOn(e -> e instanceof EndedEvent).hasSize(1);
            }
        }
    }
}
