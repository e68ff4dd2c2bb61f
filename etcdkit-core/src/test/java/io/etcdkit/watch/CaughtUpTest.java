package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchListener#onCaughtUp()} marks the points where every queued event was handed over. */
class CaughtUpTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final long CAUGHT_UP = -1;

    static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    /** Records change revisions and caught-up marks; blocks in the first change until released. */
    static final class Recorder implements WatchListener {
        final List<Long> marks = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean blocked;

        @Override
        public void onEvent(WatchEvent event) {
            long revision = event instanceof PutEvent p ? p.revision() : 0;
            if (revision == 0) {
                return;
            }
            marks.add(revision);
            if (!blocked) {
                blocked = true;
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onCaughtUp() {
            marks.add(CAUGHT_UP);
        }
    }

    @Test
    void caughtUpComesOnlyWhenTheQueueIsEmptyAndNeverInsideARevision() throws Exception {
        Recorder rec = new Recorder();
        int txns = 20;
        int keysPerTxn = 5;
        try (Watcher w = client.watches().watch(Watch.prefix("caught/").bufferSize(1000), rec)) {
            awaitTrue(() -> w.nextRevision() > 0);
            long last = 0;
            for (int t = 0; t < txns; t++) {
                List<Op> puts = new ArrayList<>();
                for (int k = 0; k < keysPerTxn; k++) {
                    puts.add(Put.of("caught/" + k, "t" + t));
                }
                last = client.kv().commit(Transaction.always(puts.toArray(new Op[0]))).revision();
            }
            long lastRevision = last;
            // Every response is queued behind the blocked first event before it is let go.
            awaitTrue(() -> w.nextRevision() > lastRevision);
            rec.release.countDown();
            awaitTrue(() -> rec.marks.size() >= 2 && rec.marks.get(rec.marks.size() - 1) == CAUGHT_UP
                    && rec.marks.get(rec.marks.size() - 2) == lastRevision);

            // (a caught-up mark may precede the first change: the ConnectedEvent was handed over alone)
            List<Long> marks = rec.marks.subList(rec.marks.indexOf(lastRevision - txns + 1), rec.marks.size());
            assertThat(marks).as("every change, then one caught-up call after the whole queue")
                    .hasSize(txns * keysPerTxn + 1)
                    .containsOnlyOnce(CAUGHT_UP);
        }
    }

    @Test
    void caughtUpNeverSplitsARevision() throws Exception {
        List<Long> marks = new CopyOnWriteArrayList<>();
        WatchListener listener = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                if (event instanceof PutEvent p) {
                    marks.add(p.revision());
                }
            }

            @Override
            public void onCaughtUp() {
                marks.add(CAUGHT_UP);
            }
        };
        int txns = 200;
        try (Watcher w = client.watches().watch(Watch.prefix("split/"), listener)) {
            awaitTrue(() -> w.nextRevision() > 0);
            List<java.util.concurrent.CompletableFuture<?>> writes = new ArrayList<>();
            for (int t = 0; t < txns; t++) {
                writes.add(client.kv().commitAsync(Transaction.always(
                        Put.of("split/a", "t" + t), Put.of("split/b", "t" + t), Put.of("split/c", "t" + t))));
            }
            writes.forEach(java.util.concurrent.CompletableFuture::join);
            awaitTrue(() -> marks.stream().filter(m -> m != CAUGHT_UP).count() == txns * 3L
                    && marks.get(marks.size() - 1) == CAUGHT_UP);
            for (int i = 0; i < marks.size(); i++) {
                if (marks.get(i) == CAUGHT_UP && i > 0 && i + 1 < marks.size() && marks.get(i + 1) != CAUGHT_UP) {
                    assertThat(marks.get(i - 1)).as("caught up at %d splits no revision", i)
                            .isNotEqualTo(marks.get(i + 1));
                }
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        await("condition not met in time").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }
}
