package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshot-then-watch subscriptions on a real member. */
class SubscriptionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(15);

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
    void emptySnapshotThenALiveWrite() {
        EventLog log = new EventLog();
        try (Watcher s = client.watches().subscribe(Subscribe.prefix("s/empty/"), log)) {
            List<WatchEvent> first = log.await(ev -> !ev.isEmpty(), WAIT);
            assertThat(first.get(0)).isInstanceOfSatisfying(SnapshotCompleteEvent.class,
                    c -> assertThat(c.keys()).isZero());
            long rev = client.kv().put("s/empty/k", "v").revision();
            List<WatchEvent> all = log.awaitChanges(1, WAIT);
            assertThat(all.get(1)).isInstanceOfSatisfying(PutEvent.class, p -> {
                assertThat(p.revision()).isEqualTo(rev);
                assertThat(p.kv().valueAsString()).isEqualTo("v");
            });
        }
    }

    @Test
    void existingKeysArriveAsPutsThenTheMarkerThenLiveChanges() {
        for (int i = 0; i < 25; i++) {
            client.kv().put("s/existing/k" + String.format("%02d", i), "v" + i);
        }
        EventLog log = new EventLog();
        try (Watcher s = client.watches().subscribe(Subscribe.prefix("s/existing/").pageSize(7), log)) {
            log.await(ev -> ev.stream().anyMatch(e -> e instanceof SnapshotCompleteEvent), WAIT);
            long delRev = client.kv().delete("s/existing/k03").revision();
            long putRev = client.kv().put("s/existing/k99", "new").revision();
            List<WatchEvent> events = log.awaitChanges(27, WAIT);
            assertThat(events.subList(0, 25)).allMatch(e -> e instanceof PutEvent);
            assertThat(events.get(25)).isInstanceOfSatisfying(SnapshotCompleteEvent.class,
                    c -> assertThat(c.keys()).isEqualTo(25));
            assertThat(events.get(26)).isInstanceOfSatisfying(DeleteEvent.class, d -> {
                assertThat(d.key().toStringUtf8()).isEqualTo("s/existing/k03");
                assertThat(d.revision()).isEqualTo(delRev);
            });
            assertThat(events.get(27)).isInstanceOfSatisfying(PutEvent.class,
                    p -> assertThat(p.revision()).isEqualTo(putRev));
        }
    }

    @Test
    void keysOnlySubscriptionCarriesNoValues() {
        client.kv().put("s/keys/a", "secret");
        EventLog log = new EventLog();
        try (Watcher s = client.watches().subscribe(Subscribe.prefix("s/keys/").keysOnly(), log)) {
            log.await(ev -> ev.stream().anyMatch(e -> e instanceof SnapshotCompleteEvent), WAIT);
            client.kv().put("s/keys/b", "secret too");
            List<PutEvent> puts = log.awaitChanges(2, WAIT).stream().filter(e -> e instanceof PutEvent)
                    .map(PutEvent.class::cast).toList();
            assertThat(puts).extracting(p -> p.kv().value().isEmpty()).containsOnly(true);
        }
    }

    @Test
    void noWriteIsMissedOrDoubledAcrossTheHandOff() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int i = 0;
            while (writing.get()) {
                String key = "s/race/k" + (i % 40);
                if (i % 7 == 3) {
                    client.kv().delete(key);
                } else {
                    client.kv().put(key, "v" + i);
                }
                i++;
            }
        });
        for (int i = 0; i < 40; i++) {
            client.kv().put("s/race/k" + i, "initial");
        }
        writer.start();
        EventLog log = new EventLog();
        try (Watcher s = client.watches().subscribe(Subscribe.prefix("s/race/").pageSize(5), log)) {
            log.await(ev -> ev.stream().anyMatch(e -> e instanceof SnapshotCompleteEvent), WAIT);
            Thread.sleep(300); // let the writer run across the hand-off and beyond
            writing.set(false);
            writer.join();
            long last = client.kv().put("s/race/done", "x").revision();
            log.await(ev -> ev.stream().anyMatch(e -> EventLog.revision(e) == last), WAIT);
            assertViewMatchesStore(log.events(), "s/race/", last);
        }
    }

    /**
     * The checker for a subscription: no (key, revision) delivered twice, revisions never go backwards after
     * the snapshot, and applying the events gives exactly the store's content at the last revision.
     */
    static void assertViewMatchesStore(List<WatchEvent> events, String prefix, long atRevision) {
        Map<String, String> view = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long lastLive = 0;
        boolean live = false;
        for (WatchEvent e : events) {
            if (e instanceof SnapshotCompleteEvent c) {
                live = true;
                lastLive = c.revision();
            } else if (e instanceof ResyncedEvent r) {
                lastLive = r.revision();
            } else if (e instanceof PutEvent p) {
                assertThat(seen.add(p.kv().keyAsString() + "@" + p.revision())).as("duplicate %s", p).isTrue();
                if (live) {
                    assertThat(p.revision()).as("order").isGreaterThanOrEqualTo(lastLive);
                    lastLive = p.revision();
                }
                view.put(p.kv().keyAsString(), p.kv().valueAsString());
            } else if (e instanceof DeleteEvent d) {
                assertThat(seen.add(d.key().toStringUtf8() + "@" + d.revision())).as("duplicate %s", d).isTrue();
                if (live) {
                    assertThat(d.revision()).as("order").isGreaterThanOrEqualTo(lastLive);
                    lastLive = d.revision();
                }
                view.remove(d.key().toStringUtf8());
            }
        }
        Map<String, String> store = new TreeMap<>();
        for (KeyValue kv : client.kv().range(Range.prefix(prefix).atRevision(atRevision)).kvs()) {
            store.put(kv.keyAsString(), kv.valueAsString());
        }
        assertThat(view).isEqualTo(store);
    }

    @Test
    void subscriptionToAnUnreachableClusterReportsTheError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EtcdClient dead = EtcdClient.builder().endpoints("http://127.0.0.1:" + port)
                .connectTimeout(Duration.ofMillis(500)).deadline(Duration.ofSeconds(1)).build()) {
            EventLog log = new EventLog();
            try (Watcher s = dead.watches().subscribe(Subscribe.prefix("x/"), log)) {
                List<WatchEvent> events = log.await(ev -> !ev.isEmpty(), WAIT);
                assertThat(events.get(0)).isInstanceOfSatisfying(DisconnectedEvent.class,
                        d -> assertThat(d.cause()).hasMessageContaining("127.0.0.1:" + port));
            }
        }
    }

    @Test
    void slowConsumerLosesNothingAndDoesNotSlowAFastOne() throws Exception {
        int writes = 200;
        EventLog fast = new EventLog();
        EventLog slowLog = new EventLog();
        WatchListener slow = e -> {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            slowLog.onEvent(e);
        };
        long pausesBefore = ((io.etcdkit.internal.DefaultEtcdClient) client).watchEngine().slowConsumerPauses();
        long start = client.kv().put("s/slow/start", "x").revision();
        try (Watcher f = client.watches().watch(Watch.prefix("s/slow/").fromRevision(start + 1), fast);
                Watcher s = client.watches().watch(Watch.prefix("s/slow/").fromRevision(start + 1).bufferSize(16),
                        slow)) {
            long lastRev = 0;
            long maxFastLagNanos = 0;
            for (int i = 0; i < writes; i++) {
                long t0 = System.nanoTime();
                lastRev = client.kv().put(Bytes.of("s/slow/k" + (i % 10)), Bytes.of("v" + i)).revision();
                final long want = lastRev;
                fast.await(ev -> ev.stream().anyMatch(e -> EventLog.revision(e) == want), WAIT);
                maxFastLagNanos = Math.max(maxFastLagNanos, System.nanoTime() - t0);
            }
            assertThat(Duration.ofNanos(maxFastLagNanos)).as("slowest put-to-event for the fast watcher")
                    .isLessThan(Duration.ofSeconds(1));
            List<WatchEvent> slowEvents = slowLog.awaitChanges(writes, Duration.ofSeconds(30));
            assertThat(slowEvents).extracting(EventLog::revision).doesNotHaveDuplicates().isSorted()
                    .hasSize(writes).endsWith(lastRev);
            assertThat(((io.etcdkit.internal.DefaultEtcdClient) client).watchEngine().slowConsumerPauses())
                    .as("the slow watcher's server-side watch was paused and resumed").isGreaterThan(pausesBefore);
        }
    }
}
