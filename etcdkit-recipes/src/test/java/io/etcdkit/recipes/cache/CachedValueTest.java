package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CachedValue (the watch-fed configuration value) against a real member. */
class CachedValueTest {
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

    /** Records what a value reports. */
    static final class Recorder<T> implements ValueListener<T> {
        final List<T> changes = new CopyOnWriteArrayList<>();
        final List<ValueDecodingException> failures = new CopyOnWriteArrayList<>();

        @Override
        public void onChange(T value, long revision) {
            changes.add(value);
        }

        @Override
        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
            failures.add(error);
        }
    }

    @Test
    void missingKeyIsTheDefaultAndLongerKeysAreIgnored() throws Exception {
        client.kv().put("cfg/missing/longer", "99"); // shares the key as a prefix: must not leak in
        try (CachedValue<Long> value = CachedValue.open(client, "cfg/missing", Codecs.longs(), 5L)) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            assertThat(value.entry()).isEmpty();
            long r = client.kv().put("cfg/missing/longer", "100").revision();
            assertThat(value.awaitRevision(r, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            long r2 = client.kv().put("cfg/missing", "6").revision();
            assertThat(value.awaitRevision(r2, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(6L);
        }
    }

    @Test
    void theInitialValueIsAnnouncedOnceWithTheKeysModRevisionOrTheDefaultWithZero() throws Exception {
        long stored = client.kv().put("cfg/initial/present", "12").revision();
        client.kv().put("cfg/initial/present", "12"); // a second write: the snapshot's revision is not the key's
        long modRevision = client.kv().get("cfg/initial/present").orElseThrow().modRevision();
        assertThat(modRevision).isGreaterThan(stored);
        long equalToDefault = client.kv().put("cfg/initial/same", "5").revision();
        client.kv().put("cfg/initial/unrelated", "1"); // moves the store's revision past every key above
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CachedValue<Long> present = CachedValue.builder(client, "cfg/initial/present", Codecs.longs(), 5L)
                .listener((v, r) -> heard.add("present " + v + "@" + r)).open();
             CachedValue<Long> missing = CachedValue.builder(client, "cfg/initial/missing", Codecs.longs(), 5L)
                     .listener((v, r) -> heard.add("missing " + v + "@" + r)).open();
             CachedValue<Long> same = CachedValue.builder(client, "cfg/initial/same", Codecs.longs(), 5L)
                     .listener((v, r) -> heard.add("same " + v + "@" + r)).open()) {
            assertThat(present.awaitReady(WAIT)).isTrue();
            assertThat(missing.awaitReady(WAIT)).isTrue();
            assertThat(same.awaitReady(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> heard.size() >= 3);
            assertThat(heard).containsExactlyInAnyOrder("present 12@" + modRevision, "missing 5@0",
                    "same 5@" + equalToDefault);
            // a write that leaves the effective value equal is not a change: still one call each
            long r = client.kv().put("cfg/initial/missing", "5").revision();
            assertThat(missing.awaitRevision(r, WAIT)).isTrue();
            long r2 = client.kv().put("cfg/initial/present", "13").revision();
            assertThat(present.awaitRevision(r2, WAIT)).isTrue();
            await().atMost(WAIT).until(() -> heard.size() >= 4);
            assertThat(heard).hasSize(4).contains("present 13@" + r2);
        }
    }

    @Test
    void malformedIsTheDefaultPlusAnError() throws Exception {
        client.kv().put("cfg/malformed", "12");
        Recorder<Long> rec = new Recorder<>();
        try (CachedValue<Long> value = CachedValue.builder(client, "cfg/malformed", Codecs.longs(), 5L)
                .listener(rec)
                .open()) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(12L);
            long r = client.kv().put("cfg/malformed", "twelve").revision();
            assertThat(value.awaitRevision(r, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            assertThat(rec.failures).singleElement()
                    .satisfies(e -> assertThat(e.codec()).isEqualTo("longs"));
            assertThat(rec.changes).as("the first load, then the fallback").containsExactly(12L, 5L);
        }
    }

    @Test
    void malformedAtStartIsTheDefaultPlusAnError() throws Exception {
        client.kv().put("cfg/malformed0", "x");
        try (CachedValue<Long> value = CachedValue.open(client, "cfg/malformed0", Codecs.longs(), 5L)) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            assertThat(value.entry()).isEmpty();
            Recorder<Long> rec = new Recorder<>();
            value.addListener(rec);
            long r = client.kv().put("cfg/malformed0", "y").revision();
            assertThat(value.awaitRevision(r, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            assertThat(rec.failures).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("0x79"));
            assertThat(rec.changes).isEmpty();
        }
    }

    @Test
    void malformedKeepsLastGoodWhenAskedTo() throws Exception {
        client.kv().put("cfg/keep", "12");
        CacheOptions opts = CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD);
        Recorder<Long> rec = new Recorder<>();
        try (CachedValue<Long> value = CachedValue.builder(client, "cfg/keep", Codecs.longs(), 5L)
                .options(opts)
                .listener(rec)
                .open()) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            long r = client.kv().put("cfg/keep", "bad").revision();
            assertThat(value.awaitRevision(r, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(12L);
            assertThat(rec.failures).hasSize(1);
            assertThat(rec.changes).as("only the first load").containsExactly(12L);
        }
    }

    @Test
    void deleteResetsToTheDefault() throws Exception {
        client.kv().put("cfg/deleted", "12");
        Recorder<Long> rec = new Recorder<>();
        try (CachedValue<Long> value = CachedValue.builder(client, "cfg/deleted", Codecs.longs(), 5L)
                .listener(rec)
                .open()) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(12L);
            long r = client.kv().delete("cfg/deleted").revision();
            assertThat(value.awaitRevision(r, WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(5L);
            assertThat(rec.changes).as("the first load, then the fallback").containsExactly(12L, 5L);
        }
    }

    @Test
    void outageServesLastGoodValueThenFollowsAgain() throws Exception {
        client.kv().put("cfg/outage", "12");
        try (EtcdClient watching = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(2)).build();
                CachedValue<Long> value = CachedValue.open(watching, "cfg/outage", Codecs.longs(), 5L)) {
            assertThat(value.awaitReady(WAIT)).isTrue();
            assertThat(value.get()).isEqualTo(12L);
            EtcdMember member = ETCD.cluster().member(0);
            member.pause();
            try {
                await("the outage is noticed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            assertThat(value.get()).as("last good value while connected").isEqualTo(12L);
                            return !value.isConnected();
                        });
                assertThat(value.get()).as("last good value through the outage").isEqualTo(12L);
            } finally {
                member.resume();
            }
            ETCD.cluster().awaitHealthy(Duration.ofSeconds(15));
            long r = client.kv().put("cfg/outage", "13").revision();
            assertThat(value.awaitRevision(r, Duration.ofSeconds(20))).isTrue();
            assertThat(value.get()).isEqualTo(13L);
            assertThat(value.isConnected()).isTrue();
        }
    }
}
