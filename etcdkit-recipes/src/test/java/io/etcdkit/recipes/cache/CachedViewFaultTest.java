package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.ViewConsistencyChecker;
import io.etcdkit.testing.check.ViewConsistencyChecker.Version;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cached view of 200 keys on a 3-member cluster, written at random by four threads (puts, deletes, three-key
 * transactions) while each member in turn is killed and restarted, and the history is compacted past a stalled
 * view. At checkpoints (while writing, and quiescent) the view must equal a range read of the store at the view's
 * own revision, and a replay of the listener calls must equal the view. Judged by {@link ViewConsistencyChecker}.
 */
class CachedViewFaultTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static final String PREFIX = "vfault/";
    static final Duration WAIT = Duration.ofSeconds(60);

    final ViewConsistencyChecker checker = new ViewConsistencyChecker();

    /** Rebuilds the view's state from its listener calls alone. */
    static final class Replay implements CacheListener<String> {
        final Map<String, Version> state = new ConcurrentHashMap<>();
        final AtomicInteger resets = new AtomicInteger();
        volatile boolean started;

        void seed(CacheSnapshot<String> snapshot) {
            state.clear();
            snapshot.entries().forEach((k, e) -> state.put(k, new Version(e.value(), e.modRevision())));
            started = true;
        }

        @Override
        public void onReady(CacheSnapshot<String> snapshot) {
            seed(snapshot);
        }

        @Override
        public void onPut(CachedEntry<String> entry) {
            state.put(entry.key(), new Version(entry.value(), entry.modRevision()));
        }

        @Override
        public void onDelete(String key, long revision) {
            state.remove(key);
        }

        @Override
        public void onReset(CacheSnapshot<String> snapshot) {
            resets.incrementAndGet();
            seed(snapshot);
        }
    }

    /** Blocks the view's event delivery in its next put, when armed, until released. */
    static final class Stall implements CacheListener<String> {
        volatile CountDownLatch stalled;
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onPut(CachedEntry<String> entry) {
            CountDownLatch s = stalled;
            if (s != null && s.getCount() > 0) {
                s.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void theViewEqualsTheStoreAtItsRevisionThroughKillsRestartsAndCompaction() throws Exception {
        Replay replay = new Replay();
        Stall stall = new Stall();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .attemptTimeout(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(5)).build();
             CachedView<String> view = CachedView.builder(client, PREFIX, Codecs.text())
                     .options(CacheOptions.defaults().bufferSize(64))
                     .open()) {
            view.addListener(replay);
            view.addListener(stall);
            assertThat(view.awaitReady(WAIT)).isTrue();
            if (!replay.started) {
                replay.seed(view.snapshot()); // ready before the listener was added; nothing is written yet
            }
            try (RandomPrefixWriters writers = new RandomPrefixWriters(client, PREFIX, 200, 4, 20240601)) {
                writers.start();
                assertThat(writers.awaitMore(300, WAIT)).isTrue();
                quiescent("warm-up", client, view, replay, writers);
                for (int i = 0; i < 3; i++) {
                    EtcdMember member = ETCD.cluster().member(i);
                    member.kill();
                    assertThat(writers.awaitMore(200, WAIT)).as("writes go on without member %d", i).isTrue();
                    live("member " + i + " down", client, view);
                    member.start();
                    ETCD.cluster().awaitHealthy(WAIT);
                    assertThat(writers.awaitMore(200, WAIT)).isTrue();
                    live("member " + i + " back", client, view);
                    quiescent("after restart of member " + i, client, view, replay, writers);
                    if (i == 1) {
                        long compacted = compactPastAStalledView(client, stall, writers);
                        assertThat(view.awaitRevision(compacted, WAIT)).as("the view re-syncs past the compaction")
                                .isTrue();
                        assertThat(writers.awaitMore(200, WAIT)).isTrue();
                        live("after compaction", client, view);
                    }
                }
                quiescent("final", client, view, replay, writers);
                ViewConsistencyChecker.Report report = checker.check();
                System.out.printf("VIEW-FAULT: %s; %d writes acknowledged, %d failed %s; %d re-syncs; %d keys "
                                + "at the end%n", report.summary(), writers.acknowledged(), writers.failed(),
                        writers.failures(), replay.resets.get(), view.size());
                report.assertClean();
                assertThat(report.checkpoints()).isGreaterThanOrEqualTo(12);
                assertThat(replay.resets.get()).as("the compaction forced a re-sync").isPositive();
                assertThat(view.isConnected()).isTrue();
            }
        }
    }

    /** The view stalls, writes go on past its buffer, the store is compacted, the view goes on. */
    private long compactPastAStalledView(EtcdClient client, Stall stall, RandomPrefixWriters writers)
            throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        stall.stalled = stalled;
        assertThat(stalled.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the view stalls").isTrue();
        try {
            assertThat(writers.awaitMore(300, WAIT)).isTrue();
            long revision = client.kv().range(Range.prefix(PREFIX).countOnly()).revision();
            client.maintenance().compact(revision, true);
            return revision;
        } finally {
            stall.release.countDown();
        }
    }

    /** Compares the view with the store at the view's revision while the writers run. */
    private void live(String label, EtcdClient client, CachedView<String> view) {
        CacheSnapshot<String> snapshot = view.snapshot();
        checker.compare(label, snapshot.revision(), versions(snapshot), storeAt(client, snapshot.revision()));
    }

    /** Pauses the writers, lets the view catch up, then compares view, store and listener replay. */
    private void quiescent(String label, EtcdClient client, CachedView<String> view, Replay replay,
            RandomPrefixWriters writers) throws Exception {
        writers.pause();
        try {
            // A marker written after every other write: once the view has it, the view and its listeners are idle.
            long marker = client.kv().put(PREFIX + "marker", label).revision();
            assertThat(view.awaitRevision(marker, WAIT)).as("view reaches %d (%s)", marker, label).isTrue();
            CacheSnapshot<String> snapshot = view.snapshot();
            assertThat(snapshot.revision()).isEqualTo(marker);
            Map<String, Version> seen = versions(snapshot);
            checker.compare(label, marker, seen, storeAt(client, marker));
            checker.compare(label + " (listener replay vs view)", marker, new HashMap<>(replay.state), seen);
        } finally {
            writers.resume();
        }
    }

    private static Map<String, Version> versions(CacheSnapshot<String> snapshot) {
        Map<String, Version> out = new HashMap<>();
        snapshot.entries().forEach((k, e) -> out.put(k, new Version(e.value(), e.modRevision())));
        return out;
    }

    private static Map<String, Version> storeAt(EtcdClient client, long revision) {
        Map<String, Version> out = new HashMap<>();
        try (Stream<KeyValue> s = client.kv().scan(Range.prefix(PREFIX).atRevision(revision), 100)) {
            s.forEach(kv -> out.put(kv.keyAsString(), new Version(kv.valueAsString(), kv.modRevision())));
        }
        return out;
    }
}
