package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.DefaultEtcdClient;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.kv.CompactForTests;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watches of keys and prefixes on a real member. */
class WatchTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);

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
    void keyWatchDeliversPutsAndDeletesInRevisionOrder() {
        EventLog log = new EventLog();
        try (Watcher w = client.watches().watch(Watch.key("w/key"), log)) {
            awaitStarted(w);
            long r1 = client.kv().put("w/key", "1").revision();
            long r2 = client.kv().put("w/key", "2").revision();
            client.kv().put("w/other", "x");
            long r3 = client.kv().delete("w/key").revision();
            List<WatchEvent> changes = log.awaitChanges(3, WAIT);
            assertThat(changes).extracting(EventLog::revision).containsExactly(r1, r2, r3);
            assertThat(((PutEvent) changes.get(1)).kv().valueAsString()).isEqualTo("2");
            assertThat(((DeleteEvent) changes.get(2)).key().toStringUtf8()).isEqualTo("w/key");
            assertThat(w.nextRevision()).isEqualTo(r3 + 1);
        }
    }

    @Test
    void aPlainWatcherIsToldWhenItsWatchIsEstablished() {
        EventLog log = new EventLog();
        try (Watcher w = client.watches().watch(Watch.prefix("w/connected/"), log)) {
            awaitStarted(w);
            log.await(ev -> !log.connected().isEmpty(), WAIT);
            ConnectedEvent c = log.connected().get(0);
            assertThat(c.fromRevision()).isEqualTo(w.nextRevision());
            assertThat(c.endpoint()).isEqualTo(ETCD.clientEndpoints().get(0));
            long rev = client.kv().put("w/connected/k", "v").revision();
            assertThat(rev).isGreaterThanOrEqualTo(c.fromRevision());
            log.awaitChanges(1, WAIT);
            assertThat(log.connected()).hasSize(1);
        }
    }

    static void awaitStarted(Watcher w) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (w.nextRevision() == 0) {
            assertThat(System.nanoTime()).as("watch confirmed by the server").isLessThan(end);
            Thread.onSpinWait();
        }
    }

    @Test
    void prefixWatchFromAPastRevisionReplaysHistory() {
        long start = client.kv().put("w/hist/a", "1").revision();
        client.kv().put("w/hist/b", "2");
        client.kv().delete("w/hist/a");
        EventLog log = new EventLog();
        try (Watcher w = client.watches().watch(Watch.prefix("w/hist/").fromRevision(start), log)) {
            List<WatchEvent> changes = log.awaitChanges(3, WAIT);
            assertThat(changes.get(0)).isInstanceOf(PutEvent.class);
            assertThat(changes.get(2)).isInstanceOf(DeleteEvent.class);
            assertThat(changes).extracting(EventLog::revision).isSorted().startsWith(start);
        }
    }

    @Test
    void previousValuesAndFilters() {
        client.kv().put("w/prev", "old");
        EventLog withPrev = new EventLog();
        EventLog onlyDeletes = new EventLog();
        try (Watcher a = client.watches().watch(Watch.key("w/prev").withPreviousValues(), withPrev);
                Watcher b = client.watches().watch(Watch.key("w/prev").withoutPuts(), onlyDeletes)) {
            awaitStarted(a);
            awaitStarted(b);
            client.kv().put("w/prev", "new");
            client.kv().delete("w/prev");
            List<WatchEvent> changes = withPrev.awaitChanges(2, WAIT);
            assertThat(((PutEvent) changes.get(0)).previous()).map(KeyValue::valueAsString).contains("old");
            assertThat(((DeleteEvent) changes.get(1)).previous()).map(KeyValue::valueAsString).contains("new");
            List<WatchEvent> deletes = onlyDeletes.awaitChanges(1, WAIT);
            assertThat(deletes).hasSize(1).first().isInstanceOf(DeleteEvent.class);
        }
    }

    @Test
    void closingOneWatcherLeavesTheOthersRunning() {
        EventLog a = new EventLog();
        EventLog b = new EventLog();
        Watcher wa = client.watches().watch(Watch.key("w/shared"), a);
        try (Watcher wb = client.watches().watch(Watch.key("w/shared"), b)) {
            awaitStarted(wa);
            awaitStarted(wb);
            client.kv().put("w/shared", "1");
            a.awaitChanges(1, WAIT);
            b.awaitChanges(1, WAIT);
            wa.close();
            assertThat(wa.isClosed()).isTrue();
            client.kv().put("w/shared", "2");
            b.awaitChanges(2, WAIT);
            // b saw the second put, so a would have too by now if it were still running.
            client.kv().put("w/shared", "3");
            b.awaitChanges(3, WAIT);
            assertThat(a.changes()).hasSize(1);
        }
    }

    @Test
    void aCompactedStartRevisionEndsTheWatchWithACompactedEvent() {
        long old = client.kv().put("w/compacted", "1").revision();
        long now = client.kv().put("w/compacted", "2").revision();
        Futures.await(CompactForTests.compact(client, now));
        EventLog log = new EventLog();
        Watcher w = client.watches().watch(Watch.key("w/compacted").fromRevision(old), log);
        List<WatchEvent> events = log.await(ev -> ev.stream().anyMatch(e -> e instanceof CompactedEvent), WAIT);
        assertThat(events).noneMatch(e -> e instanceof PutEvent || e instanceof DeleteEvent);
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(CompactedEvent.class, c -> {
            assertThat(c.compactRevision()).isEqualTo(now);
            assertThat(c.requestedRevision()).isEqualTo(old);
        });
        assertThat(w.isClosed()).isTrue();
    }

    @Test
    void publisherHonoursDemand() throws Exception {
        Flow.Publisher<WatchEvent> publisher = client.watches().publisher(Watch.prefix("w/flow/"));
        List<WatchEvent> received = new CopyOnWriteArrayList<>();
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
                s.request(2);
            }

            @Override
            public void onNext(WatchEvent item) {
                received.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        // No confirmation event for a from-now watch; give it a bounded moment by writing until events flow.
        long deadline = System.nanoTime() + WAIT.toNanos();
        int i = 0;
        while (received.isEmpty() && System.nanoTime() < deadline) {
            client.kv().put("w/flow/k" + (i++), "v");
            Thread.sleep(20);
        }
        for (int j = 0; j < 5; j++) {
            client.kv().put("w/flow/more" + j, "v");
        }
        await().during(Duration.ofMillis(500)).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> received.size() <= 2); // demand of 2 holds: nothing more is delivered meanwhile
        assertThat(received).hasSize(2);
        subscription[0].request(Long.MAX_VALUE);
        long total = i + 5;
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(
                () -> assertThat(received.size()).isGreaterThanOrEqualTo((int) total - 1));
        subscription[0].cancel();
    }

    @Test
    void invalidWatchOptionsAreRefused() {
        assertThatThrownBy(() -> Watch.prefix("p").fromRevision(-1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Watch.prefix("p").bufferSize(0)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void tenThousandWatchersOnOneStreamEachGetOnlyTheirOwnKey() {
        int n = 10_000;
        List<EventLog> logs = new ArrayList<>(n);
        List<Watcher> watchers = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                EventLog log = new EventLog();
                logs.add(log);
                watchers.add(client.watches().watch(Watch.key("w/many/" + i), log));
            }
            for (Watcher w : watchers) {
                awaitStarted(w);
            }
            assertThat(((DefaultEtcdClient) client).watchEngine().watcherCount()).isGreaterThanOrEqualTo(n);
            java.util.Map<io.etcdkit.Bytes, io.etcdkit.Bytes> batch = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                batch.put(io.etcdkit.Bytes.of("w/many/" + i), io.etcdkit.Bytes.of("v" + i));
            }
            client.kv().bulkLoader(128, 8).load(batch);
            for (int i = 0; i < n; i++) {
                List<WatchEvent> got = logs.get(i).awaitChanges(1, WAIT);
                assertThat(got).hasSize(1);
                assertThat(((PutEvent) got.get(0)).kv().valueAsString()).isEqualTo("v" + i);
            }
        } finally {
            watchers.forEach(Watcher::close);
        }
    }
}
