package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.kv.CompactForTests;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The initial snapshot of a subscription whose pinned revision is compacted part-way through paging: the consumer
 * only ever gets one consistent set of keys at one revision before {@link SnapshotCompleteEvent}.
 */
class SnapshotCompactionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(20);

    static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void compactionMidSnapshotRestartsItAtOneRevisionAndTheLivePhaseLosesNothing() throws Exception {
        String prefix = "s/compact-mid/";
        long seeded = 0;
        for (int i = 0; i < 40; i++) {
            seeded = client.kv().put(prefix + String.format("k%02d", i), "v" + i).revision();
        }
        CountDownLatch inFirstEvent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EventLog log = new EventLog();
        WatchListener slowOnFirst = new WatchListener() {
            private boolean first = true;

            @Override
            public void onEvent(WatchEvent event) {
                if (first && event instanceof PutEvent) {
                    first = false;
                    inFirstEvent.countDown();
                    try {
                        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                log.onEvent(event);
            }
        };
        try (Watcher s = client.watches().subscribe(Subscribe.prefix(prefix).pageSize(2).bufferSize(4), slowOnFirst)) {
            assertThat(inFirstEvent.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // While the consumer sits on the first key, the store moves on and the pinned revision is compacted.
            client.kv().delete(prefix + "k05");
            client.kv().delete(prefix + "k30");
            client.kv().put(prefix + "k20", "changed");
            client.kv().put(prefix + "k41", "new");
            long compactAt = client.kv().put(prefix + "k39", "changed-too").revision();
            Futures.await(CompactForTests.compact(client, compactAt));
            release.countDown();

            List<WatchEvent> events = log.await(ev -> ev.stream().anyMatch(e -> e instanceof SnapshotCompleteEvent),
                    WAIT);
            int completeAt = indexOf(events, SnapshotCompleteEvent.class);
            SnapshotCompleteEvent complete = (SnapshotCompleteEvent) events.get(completeAt);
            List<WatchEvent> beforeComplete = events.subList(0, completeAt);

            assertThat(beforeComplete).as("no delete before the snapshot completes")
                    .noneMatch(e -> e instanceof DeleteEvent);
            assertThat(beforeComplete).as("the restart is announced")
                    .anyMatch(e -> e instanceof SnapshotRestartedEvent);
            int restartAt = lastIndexOf(beforeComplete, SnapshotRestartedEvent.class);
            assertThat(((SnapshotRestartedEvent) events.get(restartAt)).compactRevision()).isBetween(seeded, compactAt);
            assertThat(beforeComplete.subList(0, restartAt)).as("keys delivered before the restart")
                    .allMatch(e -> e instanceof PutEvent p && p.revision() < compactAt);

            // Since the (last) restart: every key once, all of them at the snapshot's revision.
            Map<String, String> snapshot = new LinkedHashMap<>();
            Set<String> twice = new HashSet<>();
            for (WatchEvent e : beforeComplete.subList(restartAt + 1, completeAt)) {
                assertThat(e).isInstanceOf(PutEvent.class);
                KeyValue kv = ((PutEvent) e).kv();
                assertThat(kv.modRevision()).isLessThanOrEqualTo(complete.revision());
                if (snapshot.put(kv.keyAsString(), kv.valueAsString()) != null) {
                    twice.add(kv.keyAsString());
                }
            }
            assertThat(twice).as("keys delivered twice in one snapshot").isEmpty();
            assertThat(complete.revision()).isGreaterThanOrEqualTo(compactAt);
            assertThat(complete.keys()).isEqualTo(snapshot.size());
            assertThat(new TreeMap<>(snapshot)).isEqualTo(store(prefix, complete.revision()));
            assertThat(snapshot).doesNotContainKeys(prefix + "k05", prefix + "k30")
                    .containsEntry(prefix + "k20", "changed").containsEntry(prefix + "k41", "new");

            // The live phase continues from the snapshot's revision without loss.
            WatchDeliveryChecker checker = new WatchDeliveryChecker();
            checker.snapshot(snapshot, complete.revision());
            long from = complete.revision() + 1;
            long to = 0;
            for (int i = 0; i < 20; i++) {
                String key = prefix + String.format("k%02d", i * 2);
                if (i % 3 == 0) {
                    long rev = client.kv().delete(key).revision();
                    if (snapshot.containsKey(key)) {
                        checker.acknowledged(key, rev, WatchDeliveryChecker.Kind.DELETE, null);
                    }
                    to = rev;
                } else {
                    to = client.kv().put(key, "live" + i).revision();
                    checker.acknowledged(key, to, WatchDeliveryChecker.Kind.PUT, "live" + i);
                }
            }
            long last = to;
            List<WatchEvent> all = log.await(ev -> ev.stream().anyMatch(e -> EventLog.revision(e) >= last), WAIT);
            for (WatchEvent e : all.subList(completeAt + 1, all.size())) {
                if (e instanceof PutEvent p) {
                    checker.delivered(p.kv().keyAsString(), p.revision(), WatchDeliveryChecker.Kind.PUT,
                            p.kv().valueAsString());
                } else if (e instanceof DeleteEvent d) {
                    checker.delivered(d.key().toStringUtf8(), d.revision(), WatchDeliveryChecker.Kind.DELETE, null);
                }
            }
            WatchFaultTest.assertClean(checker.check(from, to, store(prefix, to)));
        } finally {
            release.countDown();
        }
    }

    private static int indexOf(List<WatchEvent> events, Class<? extends WatchEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<WatchEvent> events, Class<? extends WatchEvent> type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static Map<String, String> store(String prefix, long revision) {
        Map<String, String> store = new TreeMap<>();
        for (KeyValue kv : client.kv().range(Range.prefix(prefix).atRevision(revision)).kvs()) {
            store.put(kv.keyAsString(), kv.valueAsString());
        }
        return store;
    }
}
