package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plain reads and writes against a real single-member cluster. */
class KvTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client;
    static Kv kv;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        kv = client.kv();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void putThenGetReturnsValueAndMetadata() {
        PutResult put = kv.put("kv/a", "1");
        KeyValue got = kv.get("kv/a").orElseThrow();
        assertThat(got.valueAsString()).isEqualTo("1");
        assertThat(got.keyAsString()).isEqualTo("kv/a");
        assertThat(got.modRevision()).isEqualTo(put.revision());
        assertThat(got.createRevision()).isEqualTo(put.revision());
        assertThat(got.version()).isEqualTo(1);
        kv.put("kv/a", "2");
        KeyValue again = kv.get("kv/a").orElseThrow();
        assertThat(again.version()).isEqualTo(2);
        assertThat(again.createRevision()).isEqualTo(put.revision());
    }

    @Test
    void interruptedWriteIsReportedAsOutcomeUnknownAndInterruptStaysSet() throws Exception {
        Interrupted r = interruptWhileWaitingForEtcd(() -> kv.put("kv/interrupted", "1"));
        assertThat(r.thrown()).isInstanceOf(io.etcdkit.OutcomeUnknownException.class)
                .hasMessageContaining("may or may not be applied");
        assertThat(r.interruptStillSet()).isTrue();
        // the write was already sent: it lands although its caller stopped waiting
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> kv.get("kv/interrupted").isPresent());
    }

    @Test
    void interruptedReadIsNotReportedAsOutcomeUnknown() throws Exception {
        Interrupted r = interruptWhileWaitingForEtcd(() -> kv.get("kv/anything"));
        assertThat(r.thrown()).isInstanceOf(io.etcdkit.EtcdException.class)
                .isNotInstanceOf(io.etcdkit.OutcomeUnknownException.class)
                .hasMessageContaining("interrupted");
        assertThat(r.interruptStillSet()).isTrue();
    }

    record Interrupted(Throwable thrown, boolean interruptStillSet) {
    }

    /**
     * Runs {@code call} on a thread while the member is paused (so the answer cannot come first), interrupts the
     * thread once it is blocked waiting for the answer, then thaws the member.
     */
    private static Interrupted interruptWhileWaitingForEtcd(Runnable call) throws InterruptedException {
        EtcdMember member = ETCD.cluster().members().get(0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillSet = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
            stillSet.set(Thread.currentThread().isInterrupted());
        }, "interrupted-caller");
        member.pause();
        try {
            t.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!waitingForAFuture(t)) {
                assertThat(System.nanoTime() - deadline).as("the caller blocks waiting for etcd").isNegative();
                Thread.sleep(1);
            }
            t.interrupt();
            t.join(10_000);
            assertThat(t.isAlive()).as("the interrupted caller returns").isFalse();
        } finally {
            member.resume();
        }
        return new Interrupted(thrown.get(), stillSet.get());
    }

    private static boolean waitingForAFuture(Thread t) {
        if (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(CompletableFuture.class.getName()) && e.getMethodName().equals("get")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void missingKeyIsEmpty() {
        assertThat(kv.get("kv/never-written")).isEmpty();
        assertThat(kv.exists("kv/never-written")).isFalse();
    }

    @Test
    void putReturnsPreviousValueWhenAsked() {
        kv.put("kv/prev", "old");
        PutResult r = kv.put(Put.of("kv/prev", "new").withPreviousValue());
        assertThat(r.previous()).map(KeyValue::valueAsString).contains("old");
        assertThat(kv.put(Put.of("kv/prev-none", "x").withPreviousValue()).previous()).isEmpty();
    }

    @Test
    void asyncFormsCompleteOffTheTransportThreads() throws Exception {
        CompletableFuture<String> thread = kv.putAsync("kv/async", "v")
                .thenApply(r -> Thread.currentThread().getName());
        assertThat(thread.get()).doesNotContain("grpc-nio").doesNotContain("grpc-default-worker")
                .doesNotContain("epoll");
        assertThat(kv.getAsync("kv/async").get()).map(KeyValue::valueAsString).contains("v");
    }

    @Test
    void prefixRangeWithLimitSortKeysOnlyAndCount() {
        for (int i = 0; i < 10; i++) {
            kv.put("range/k" + i, "v" + i);
        }
        kv.put("rangeX", "outside");
        RangeResult all = kv.range(Range.prefix("range/"));
        assertThat(all.kvs()).extracting(KeyValue::keyAsString).hasSize(10).isSorted();
        assertThat(all.count()).isEqualTo(10);

        RangeResult limited = kv.range(Range.prefix("range/").limit(3));
        assertThat(limited.kvs()).hasSize(3);
        assertThat(limited.more()).isTrue();
        assertThat(limited.count()).isEqualTo(10);

        RangeResult desc = kv.range(Range.prefix("range/").sortBy(SortTarget.KEY, SortOrder.DESCEND).limit(2));
        assertThat(desc.kvs()).extracting(KeyValue::keyAsString).containsExactly("range/k9", "range/k8");

        RangeResult keysOnly = kv.range(Range.prefix("range/").keysOnly());
        assertThat(keysOnly.kvs()).allSatisfy(k -> assertThat(k.value().isEmpty()).isTrue());

        RangeResult countOnly = kv.range(Range.prefix("range/").countOnly());
        assertThat(countOnly.kvs()).isEmpty();
        assertThat(countOnly.count()).isEqualTo(10);
        assertThat(kv.count(Range.prefix("range/"))).isEqualTo(10);

        RangeResult between = kv.range(Range.between("range/k2", "range/k5"));
        assertThat(between.kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("range/k2", "range/k3", "range/k4");
        assertThat(kv.range(Range.from("range/k8")).kvs()).extracting(KeyValue::keyAsString)
                .startsWith("range/k8", "range/k9", "rangeX");
    }

    @Test
    void createAndModRevisionFiltersSelectKeys() {
        long a = kv.put("filt/a", "1").revision();
        long b = kv.put("filt/b", "1").revision();
        long c = kv.put("filt/c", "1").revision();
        kv.put("filt/a", "2");
        assertThat(kv.range(Range.prefix("filt/").maxCreateRevision(b)).kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("filt/a", "filt/b");
        assertThat(kv.range(Range.prefix("filt/").minCreateRevision(b)).kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("filt/b", "filt/c");
        assertThat(kv.range(Range.prefix("filt/").minModRevision(c + 1)).kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("filt/a");
        assertThat(kv.range(Range.prefix("filt/").maxModRevision(c)).kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("filt/b", "filt/c");
        // The last key created before c: what a fair lock's waiter looks for.
        assertThat(kv.range(Range.prefix("filt/").maxCreateRevision(c - 1)
                .sortBy(SortTarget.CREATE_REVISION, SortOrder.DESCEND).limit(1)).first())
                .map(KeyValue::keyAsString).contains("filt/b");
        assertThat(a).isLessThan(b);
    }

    @Test
    void readsAtAHistoricalRevisionSeeTheOldValue() {
        long r1 = kv.put("hist/k", "first").revision();
        long r2 = kv.put("hist/k", "second").revision();
        kv.delete("hist/k");
        assertThat(kv.get("hist/k")).isEmpty();
        assertThat(kv.range(Range.key("hist/k").atRevision(r1)).first()).map(KeyValue::valueAsString)
                .contains("first");
        assertThat(kv.range(Range.key("hist/k").atRevision(r2)).first()).map(KeyValue::valueAsString)
                .contains("second");
        assertThat(kv.range(Range.key("hist/k").atRevision(r1)).revision()).isGreaterThanOrEqualTo(r2);
    }

    @Test
    void futureRevisionIsATypedError() {
        long now = kv.put("future/k", "v").revision();
        assertThatThrownBy(() -> kv.range(Range.key("future/k").atRevision(now + 1000)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("future");
    }

    @Test
    void serializableGetReadsLocally() {
        kv.put("ser/k", "v");
        assertThat(kv.range(Range.key("ser/k").serializable()).first()).map(KeyValue::valueAsString)
                .contains("v");
    }

    @Test
    void deleteKeyPrefixAndRangeWithPreviousValues() {
        kv.put("del/a", "1");
        kv.put("del/b", "2");
        kv.put("del/c", "3");
        kv.put("del/d/x", "4");
        kv.put("dela", "outside");
        DeleteResult one = kv.delete(Delete.key("del/a").withPreviousValues());
        assertThat(one.deleted()).isEqualTo(1);
        assertThat(one.previous()).extracting(KeyValue::valueAsString).containsExactly("1");
        assertThat(kv.delete("del/a").deleted()).isZero();

        DeleteResult range = kv.delete(Delete.between("del/b", "del/c"));
        assertThat(range.deleted()).isEqualTo(1);
        assertThat(kv.exists("del/c")).isTrue();

        DeleteResult prefix = kv.deletePrefix("del/");
        assertThat(prefix.deleted()).isEqualTo(2);
        assertThat(kv.get("dela")).isPresent();
    }

    @Test
    void emptyPrefixDeleteIsRefused() {
        assertThatThrownBy(() -> Delete.prefix("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Delete.all()");
    }

    @Test
    void listKeysAndGlobMatching() {
        kv.put("glob/app1/config", "a");
        kv.put("glob/app1/secret", "b");
        kv.put("glob/app2/config", "c");
        kv.put("glob/app2/deep/config", "d");
        assertThat(kv.listKeys("glob/")).extracting(Bytes::toStringUtf8).hasSize(4);
        assertThat(kv.list("glob/app1/")).extracting(KeyValue::valueAsString).containsExactly("a", "b");
        assertThat(kv.keysMatching("glob/*/config")).extracting(Bytes::toStringUtf8)
                .containsExactly("glob/app1/config", "glob/app2/config");
        assertThat(kv.keysMatching("glob/**/config")).extracting(Bytes::toStringUtf8)
                .containsExactly("glob/app1/config", "glob/app2/config", "glob/app2/deep/config");
        assertThat(kv.keysMatching("glob/app?/s*")).extracting(Bytes::toStringUtf8)
                .containsExactly("glob/app1/secret");
        assertThat(kv.keysMatching("glob/app[2]/config")).extracting(Bytes::toStringUtf8)
                .containsExactly("glob/app2/config");
        assertThatThrownBy(() -> kv.keysMatching("glob/[abc")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("unclosed");
    }

    @Test
    void compactedRevisionIsATypedError() {
        long r1 = kv.put("compact/k", "1").revision();
        long r2 = kv.put("compact/k", "2").revision();
        io.etcdkit.internal.Futures.await(io.etcdkit.internal.kv.CompactForTests.compact(client, r2));
        assertThatThrownBy(() -> kv.range(Range.key("compact/k").atRevision(r1)))
                .isInstanceOf(CompactedException.class);
        Optional<KeyValue> now = kv.get("compact/k");
        assertThat(now).map(KeyValue::valueAsString).contains("2");
    }

    @Test
    void keyValueListsAreImmutable() {
        kv.put("imm/a", "1");
        List<KeyValue> kvs = kv.range(Range.prefix("imm/")).kvs();
        assertThatThrownBy(() -> kvs.add(kvs.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }
}
