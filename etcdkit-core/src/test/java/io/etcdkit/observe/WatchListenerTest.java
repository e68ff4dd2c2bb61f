package io.etcdkit.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener's view of watches on a real member: watchers opened and closed once each, events, compactions. */
class WatchListenerTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(15);

    private static EtcdClient client(RecordingListener rec) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build();
    }

    @Test
    void everyOpenedWatcherIsClosedOnce() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            List<Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                watchers.add(client.watches().watch(Watch.key("wl/balance/" + i), e -> { }));
            }
            for (int i = 0; i < 10; i++) {
                watchers.add(client.watches().subscribe(Subscribe.prefix("wl/balance/s" + i), e -> { }));
            }
            assertThat(rec.watchersOpened).hasValue(110);
            assertThat(rec.watchersClosed).hasValue(0);
            // the stream reports connected on its first answer: wait for it before closing everything, or a fast
            // close could end the stream before it ever answered
            await().atMost(WAIT).until(() -> rec.events("watchStreamConnected").size() == 1);
            watchers.forEach(Watcher::close);
            watchers.forEach(Watcher::close); // a second close reports nothing more
            assertThat(rec.watchersClosed).hasValue(110);
        }
        assertThat(rec.watchersOpened).hasValue(110);
        assertThat(rec.watchersClosed).hasValue(110);
        assertThat(rec.events()).extracting(RecordingListener.Event::kind)
                .containsExactly("watchStreamConnected", "watchStreamDisconnected");
    }

    @Test
    void aSubscriptionStillReadingItsSnapshotEndsWhenTheClientCloses() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient writer = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            for (int i = 0; i < 60; i++) {
                writer.kv().put("wl/paging/" + i, "v");
            }
        }
        java.util.concurrent.CountDownLatch firstEvent = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<WatchEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        EtcdClient client = client(rec);
        client.watches().subscribe(Subscribe.prefix("wl/paging/").pageSize(2).bufferSize(4), e -> {
            events.add(e);
            if (firstEvent.getCount() > 0) {
                firstEvent.countDown();
                try {
                    release.await(); // a slow consumer: the snapshot is still paging when the client closes
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(firstEvent.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        client.close();
        release.countDown();
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof io.etcdkit.watch.EndedEvent));
        assertThat(events).noneMatch(e -> e instanceof io.etcdkit.watch.SnapshotCompleteEvent);
        assertThat(events.get(events.size() - 1)).isInstanceOf(io.etcdkit.watch.EndedEvent.class);
        assertThat(rec.watchersOpened).hasValue(1);
        assertThat(rec.watchersClosed).hasValue(1);
    }

    @Test
    void watchersEndedByTheClientAreClosedToo() {
        RecordingListener rec = new RecordingListener();
        EtcdClient client = client(rec);
        for (int i = 0; i < 5; i++) {
            client.watches().watch(Watch.key("wl/client-close/" + i), e -> { });
        }
        client.close();
        assertThat(rec.watchersOpened).hasValue(5);
        assertThat(rec.watchersClosed).hasValue(5);
    }

    @Test
    void aWatcherStartingAtACompactedRevisionIsReportedCompactedAndClosedOnce() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            long first = client.kv().put("wl/compacted", "1").revision();
            client.kv().put("wl/compacted", "2");
            long compactAt = client.kv().put("wl/compacted", "3").revision();
            client.maintenance().compact(compactAt, false);
            List<WatchEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Watcher w = client.watches().watch(Watch.key("wl/compacted").fromRevision(first), seen::add);
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e instanceof CompactedEvent));
            await().atMost(WAIT).until(() -> rec.watchersClosed.get() == 1);
            w.close();
            assertThat(rec.events("watchCompacted")).extracting(RecordingListener.Event::subject)
                    .containsExactly(Long.toString(compactAt));
            assertThat(rec.watchersOpened).hasValue(1);
            assertThat(rec.watchersClosed).hasValue(1);
        }
    }

    @Test
    void aSlowSubscriptionWhoseHistoryWasCompactedReportsTheCompactionAndItsResync() throws Exception {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            client.kv().put("wl/resync/seed", "0");
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<WatchEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (Watcher s = client.watches().subscribe(Subscribe.prefix("wl/resync/").bufferSize(8), e -> {
                seen.add(e);
                if (e instanceof PutEvent p && p.kv().keyAsString().equals("wl/resync/k0")) {
                    try {
                        release.await(); // the consumer stalls: its server-side watch is paused
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            })) {
                await().atMost(WAIT).until(() -> seen.stream().anyMatch(
                        e -> e instanceof io.etcdkit.watch.SnapshotCompleteEvent));
                long last = 0;
                for (int i = 0; i < 100; i++) {
                    last = client.kv().put("wl/resync/k" + (i % 10), "v" + i).revision();
                }
                await().atMost(WAIT).until(() -> ((io.etcdkit.internal.DefaultEtcdClient) client).watchEngine()
                        .slowConsumerPauses() > 0);
                client.maintenance().compact(last, false);
                assertThat(rec.events("watchResyncStarted")).isEmpty();
                release.countDown();
                await().atMost(WAIT).until(() -> seen.stream().anyMatch(e -> e instanceof io.etcdkit.watch.ResyncedEvent));
                assertThat(rec.events("watchResyncStarted")).hasSize(1);
                assertThat(rec.events("watchCompacted")).extracting(RecordingListener.Event::subject)
                        .containsExactly(Long.toString(last));
                assertThat(rec.watchersClosed).as("a re-sync does not end the subscription").hasValue(0);
            }
            assertThat(rec.watchersOpened).hasValue(1);
            assertThat(rec.watchersClosed).hasValue(1);
        }
    }

    @Test
    void eventsDeliveredAddUpToTheEventsConsumed() {
        RecordingListener rec = new RecordingListener();
        try (EtcdClient client = client(rec)) {
            for (int i = 0; i < 50; i++) {
                client.kv().put("wl/delivered/" + i, "before");
            }
            AtomicLong consumed = new AtomicLong();
            java.util.function.Consumer<WatchEvent> count = e -> {
                if (e instanceof PutEvent || e instanceof DeleteEvent) {
                    consumed.incrementAndGet();
                }
            };
            try (Watcher w = client.watches().watch(Watch.prefix("wl/delivered/"), count::accept);
                    Watcher s = client.watches().subscribe(Subscribe.prefix("wl/delivered/"), count::accept)) {
                // The subscription's snapshot: 50 puts.
                await().atMost(WAIT).until(() -> consumed.get() >= 50);
                await().atMost(WAIT).until(() -> w.nextRevision() > 0); // the plain watch is established
                for (int i = 0; i < 300; i++) {
                    client.kv().put("wl/delivered/" + (i % 70), "v" + i);
                }
                client.kv().deletePrefix("wl/delivered/");
                // Each watcher sees 300 puts and 70 deletes; the subscription also had its 50 snapshot puts.
                long expected = 50 + 2 * (300 + 70);
                await().atMost(WAIT).until(() -> consumed.get() == expected);
                await().atMost(WAIT).until(() -> rec.eventsDelivered.get() == expected);
                assertThat(rec.deliveries.get()).isBetween(1, (int) expected);
            }
        }
    }

    @Test
    void withoutAListenerNothingIsCountedAndWatchesWork() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            AtomicLong consumed = new AtomicLong();
            try (Watcher w = client.watches().watch(Watch.key("wl/none"), e -> {
                if (e instanceof PutEvent) {
                    consumed.incrementAndGet();
                }
            })) {
                await().atMost(WAIT).until(() -> {
                    client.kv().put("wl/none", "x");
                    return consumed.get() > 0;
                });
            }
            assertThat(client.listener()).isSameAs(EtcdListener.NONE);
        }
    }
}
