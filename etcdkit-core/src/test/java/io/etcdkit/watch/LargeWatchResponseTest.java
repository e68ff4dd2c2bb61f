package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replay larger than the client's inbound message limit: etcd sends it in one response unless the watch asks
 * for fragments. Without them the stream failed on every attempt (a Disconnected/Resumed loop that never got
 * past the first response). The stream asks for fragments once a response was too large (not before: etcd cuts
 * them slowly), so the watcher sees one disconnect, then every event exactly once, in order.
 */
class LargeWatchResponseTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void aReplayOverTheInboundLimitArrivesWholeAndInOrder() throws Exception {
        int n = 200;
        try (EtcdClient writer = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
             EtcdClient small = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                     .maxInboundMessageSize(4 << 20).build()) {
            long first = 0;
            for (int i = 0; i < n; i++) {
                long r = writer.kv().put(Put.of(Bytes.of("large/" + i), Bytes.of(new byte[64 * 1024]))).revision();
                first = first == 0 ? r : first;
            }
            // 200 events of 64 KiB: about 13 MB of history, over three times the 4 MiB this client accepts.
            List<PutEvent> puts = new CopyOnWriteArrayList<>();
            List<WatchEvent> others = new CopyOnWriteArrayList<>();
            try (Watcher w = small.watches().watch(Watch.prefix(Bytes.of("large/")).fromRevision(first), e -> {
                if (e instanceof PutEvent p) {
                    puts.add(p);
                } else {
                    others.add(e);
                }
            })) {
                try {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                            .until(() -> puts.size() >= n || others.size() >= 5);
                } catch (ConditionTimeoutException e) {
                    // the assertions below say what is missing
                }
            }
            assertThat(others).as("one disconnect (the response too large), then a resume")
                    .filteredOn(e -> e instanceof DisconnectedEvent).hasSize(1);
            assertThat(others).filteredOn(e -> e instanceof ResumedEvent).hasSize(1);
            assertThat(puts).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(puts.get(i).revision()).isEqualTo(first + i);
                assertThat(puts.get(i).kv().key().toStringUtf8()).isEqualTo("large/" + i);
                assertThat(puts.get(i).kv().value().size()).isEqualTo(64 * 1024);
            }
        }
    }
}
