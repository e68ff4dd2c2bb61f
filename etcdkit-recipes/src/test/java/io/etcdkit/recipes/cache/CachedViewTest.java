package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CachedView against a real member. */
class CachedViewTest {
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

    /** Records what a view reports. */
    static final class Recorder implements CacheListener<Long> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<ValueDecodingException> failures = new CopyOnWriteArrayList<>();

        @Override
        public void onPut(CachedEntry<Long> entry) {
            events.add("put " + entry.key() + "=" + entry.value());
        }

        @Override
        public void onDelete(String key, long revision) {
            events.add("delete " + key);
        }

        @Override
        public void onReset(CacheSnapshot<Long> snapshot) {
            events.add("reset@" + snapshot.revision());
        }

        @Override
        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
            failures.add(error);
        }
    }

    @Test
    void loadsExistingKeys() throws Exception {
        client.kv().put("load/a", "1");
        client.kv().put("load/b", "2");
        client.kv().put("loadX", "3"); // not under "load/"
        try (CachedView<Long> view = CachedView.open(client, "load/", Codecs.longs())) {
            assertThat(view.awaitReady(WAIT)).isTrue();
            assertThat(view.asMap()).containsExactlyInAnyOrderEntriesOf(Map.of("load/a", 1L, "load/b", 2L));
            assertThat(view.get("load/a")).contains(1L);
            assertThat(view.get("load/zz")).isEmpty();
            assertThat(view.size()).isEqualTo(2);
            assertThat(view.list()).containsExactlyInAnyOrder(1L, 2L);
            assertThat(view.revision()).isGreaterThan(0);
            assertThat(view.snapshot().revision()).isEqualTo(view.revision());
        }
    }

    @Test
    void followsPutsAndDeletes() throws Exception {
        try (CachedView<Long> view = CachedView.open(client, "follow/", Codecs.longs())) {
            Recorder rec = new Recorder();
            view.addListener(rec);
            assertThat(view.awaitReady(WAIT)).isTrue();
            assertThat(view.size()).isZero();
            long r1 = client.kv().put("follow/x", "10").revision();
            assertThat(view.awaitRevision(r1, WAIT)).isTrue();
            assertThat(view.get("follow/x")).contains(10L);
            long r2 = client.kv().put("follow/x", "11").revision();
            assertThat(view.awaitRevision(r2, WAIT)).isTrue();
            assertThat(view.get("follow/x")).contains(11L);
            long r3 = client.kv().delete("follow/x").revision();
            assertThat(view.awaitRevision(r3, WAIT)).isTrue();
            assertThat(view.get("follow/x")).isEmpty();
            assertThat(rec.events).containsExactly("put follow/x=10", "put follow/x=11", "delete follow/x");
        }
    }

    @Test
    void awaitRevisionReadsOwnCompareAndSet() throws Exception {
        try (CachedView<Long> view = CachedView.open(client, "cas/", Codecs.longs())) {
            assertThat(view.awaitReady(WAIT)).isTrue();
            OptionalLong created = view.compareAndSet("cas/n", 0, 1L);
            assertThat(created).isPresent();
            assertThat(view.awaitRevision(created.getAsLong(), WAIT)).isTrue();
            CachedEntry<Long> e = view.entry("cas/n").orElseThrow();
            assertThat(e.value()).isEqualTo(1L);
            assertThat(e.modRevision()).isEqualTo(created.getAsLong());
            assertThat(view.compareAndSet("cas/n", 0, 5L)).as("exists already").isEmpty();
            OptionalLong updated = view.compareAndSet("cas/n", e.modRevision(), 2L);
            assertThat(updated).isPresent();
            assertThat(view.compareAndSet("cas/n", e.modRevision(), 3L)).as("stale revision").isEmpty();
            assertThat(view.awaitRevision(updated.getAsLong(), WAIT)).isTrue();
            assertThat(view.get("cas/n")).contains(2L);
            assertThat(view.awaitRevision(updated.getAsLong() + 1000, Duration.ofMillis(200)))
                    .as("bounded wait for a revision that never comes").isFalse();
        }
    }

    @Test
    void decodeFailureSkippedAndReported() throws Exception {
        client.kv().put("skip/bad", "not-a-number");
        client.kv().put("skip/good", "1");
        try (CachedView<Long> view = CachedView.open(client, "skip/", Codecs.longs())) {
            Recorder rec = new Recorder();
            view.addListener(rec);
            assertThat(view.awaitReady(WAIT)).isTrue();
            assertThat(view.asMap()).containsExactlyEntriesOf(Map.of("skip/good", 1L));
            long r = client.kv().put("skip/good", "oops").revision();
            assertThat(view.awaitRevision(r, WAIT)).isTrue();
            assertThat(view.get("skip/good")).as("SKIP drops the malformed key").isEmpty();
            assertThat(rec.failures).isNotEmpty().allSatisfy(e -> assertThat(e.codec()).isEqualTo("longs"));
            assertThat(rec.failures.get(rec.failures.size() - 1).getMessage()).contains("0x6f"); // 'o' of "oops"
            long r2 = client.kv().put("skip/good", "7").revision();
            assertThat(view.awaitRevision(r2, WAIT)).isTrue();
            assertThat(view.get("skip/good")).as("the view keeps working").contains(7L);
        }
    }

    @Test
    void decodeFailureKeepsLastGood() throws Exception {
        client.kv().put("keep/v", "1");
        CacheOptions opts = CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD);
        try (CachedView<Long> view = CachedView.builder(client, "keep/", Codecs.longs()).options(opts).open()) {
            Recorder rec = new Recorder();
            view.addListener(rec);
            view.addListener(new CacheListener<>() {
                @Override
                public void onPut(CachedEntry<Long> entry) {
                    throw new IllegalStateException("a broken listener must not break the view");
                }
            });
            assertThat(view.awaitReady(WAIT)).isTrue();
            long r = client.kv().put("keep/v", "{bad").revision();
            assertThat(view.awaitRevision(r, WAIT)).isTrue();
            assertThat(view.get("keep/v")).contains(1L);
            assertThat(rec.failures).hasSize(1);
            long r2 = client.kv().put("keep/v", "2").revision();
            assertThat(view.awaitRevision(r2, WAIT)).isTrue();
            assertThat(view.get("keep/v")).contains(2L);
            assertThat(rec.events).containsExactly("put keep/v=2");
        }
    }

    @Test
    void convergesWithStoreAfterRandomWritesAndCompaction() throws Exception {
        String prefix = "conv/";
        Random random = new Random(42);
        CacheOptions opts = CacheOptions.defaults().bufferSize(2);
        try (CachedView<Long> view = CachedView.builder(client, prefix, Codecs.longs()).options(opts).open()) {
            Recorder rec = new Recorder();
            view.addListener(rec);
            assertThat(view.awaitReady(WAIT)).isTrue();
            long last = randomWrites(prefix, random, 200);
            assertThat(view.awaitRevision(last, WAIT)).isTrue();
            assertThat(view.snapshot().asMap()).isEqualTo(store(prefix));

            // Stall the view, write on, compact past its place, then let it go: it must re-sync exactly.
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean blocked = new AtomicBoolean();
            view.addListener(new CacheListener<>() {
                @Override
                public void onPut(CachedEntry<Long> entry) {
                    if (blocked.compareAndSet(false, true)) {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            long stalledAt;
            try {
                client.kv().put(prefix + "k0", "-1");
                last = randomWrites(prefix, random, 200);
                stalledAt = view.revision();
                client.maintenance().compact(last, true);
            } finally {
                release.countDown();
            }
            assertThat(stalledAt).isLessThan(last);
            assertThat(view.awaitRevision(last, WAIT)).isTrue();
            assertThat(view.snapshot().asMap()).isEqualTo(store(prefix));
            assertThat(rec.events).as("a re-sync after compaction is reported")
                    .anySatisfy(e -> assertThat(e).startsWith("reset@"));

            // And it stays live afterwards.
            last = randomWrites(prefix, random, 50);
            assertThat(view.awaitRevision(last, WAIT)).isTrue();
            assertThat(view.snapshot().asMap()).isEqualTo(store(prefix));
        }
    }

    private static long randomWrites(String prefix, Random random, int n) {
        long rev = 0;
        for (int i = 0; i < n; i++) {
            String key = prefix + "k" + random.nextInt(20);
            if (random.nextInt(4) == 0) {
                rev = client.kv().delete(key).revision();
            } else {
                rev = client.kv().put(key, String.valueOf(random.nextInt(1000))).revision();
            }
        }
        return rev;
    }

    private static Map<String, Long> store(String prefix) {
        Map<String, Long> m = new HashMap<>();
        for (KeyValue kv : client.kv().list(prefix)) {
            m.put(kv.keyAsString(), Long.parseLong(kv.valueAsString()));
        }
        return m;
    }
}
