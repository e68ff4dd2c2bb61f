package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Transactions and the atomic helpers built on them. */
class TransactionTest {
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
    void thenBranchRunsWhenEveryCompareHolds() {
        kv.put("txn/a", "1");
        TxnResult r = kv.commit(Transaction.when(Compare.value("txn/a").equalTo("1"), Compare.version("txn/a")
                .greaterThan(0)).then(Put.of("txn/b", "2"), Range.key("txn/a")).otherwise(Put.of("txn/c", "3")));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.results()).hasSize(2);
        assertThat(r.putResult(0).revision()).isEqualTo(r.revision());
        assertThat(r.rangeResult(1).first()).map(KeyValue::valueAsString).contains("1");
        assertThat(kv.exists("txn/b")).isTrue();
        assertThat(kv.exists("txn/c")).isFalse();
    }

    @Test
    void otherwiseBranchRunsWhenACompareFails() {
        kv.put("txn/x", "1");
        TxnResult r = kv.commit(Transaction.when(Compare.value("txn/x").equalTo("nope"))
                .then(Put.of("txn/y", "then")).otherwise(Put.of("txn/y", "else"), Range.key("txn/x")));
        assertThat(r.succeeded()).isFalse();
        assertThat(kv.get("txn/y")).map(KeyValue::valueAsString).contains("else");
        assertThat(r.rangeResult(1).first()).map(KeyValue::valueAsString).contains("1");
        assertThatThrownBy(() -> r.putResult(1)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void comparesOnCreateAndModRevisionAndAbsence() {
        PutResult p = kv.put("txn/rev", "v");
        assertThat(kv.commit(Transaction.when(Compare.modRevision("txn/rev").equalTo(p.revision()),
                Compare.createRevision("txn/rev").equalTo(p.revision())).then(Put.of("txn/rev", "w"))).succeeded())
                .isTrue();
        assertThat(kv.commit(Transaction.when(Compare.modRevision("txn/rev").equalTo(p.revision()))
                .then(Put.of("txn/rev", "stale"))).succeeded()).isFalse();
        assertThat(kv.get("txn/rev")).map(KeyValue::valueAsString).contains("w");
        assertThat(kv.commit(Transaction.when(Compare.absent("txn/none")).then(Put.of("txn/none", "c")))
                .succeeded()).isTrue();
        assertThat(kv.commit(Transaction.when(Compare.absent("txn/none")).then(Put.of("txn/none", "d")))
                .succeeded()).isFalse();
        assertThat(kv.commit(Transaction.when(Compare.value("txn/none").notEqualTo("c"))).succeeded()).isFalse();
    }

    @Test
    void compareOnLeaseUsesTheFieldTheStubsLack() {
        long lease = grantLease(30);
        kv.put(Put.of("txn/leased", "v").lease(lease));
        assertThat(kv.commit(Transaction.when(Compare.lease("txn/leased").equalTo(lease))).succeeded()).isTrue();
        assertThat(kv.commit(Transaction.when(Compare.lease("txn/leased").equalTo(lease + 1))).succeeded())
                .isFalse();
        kv.put("txn/unleased", "v");
        assertThat(kv.commit(Transaction.when(Compare.lease("txn/unleased").equalTo(0))).succeeded()).isTrue();
    }

    private static long grantLease(long ttlSeconds) {
        var ctx = ((io.etcdkit.internal.DefaultEtcdClient) client).context();
        return io.etcdkit.internal.Futures.await(ctx.transport().call(io.etcd.jetcd.api.LeaseGrpc.getLeaseGrantMethod(),
                io.etcd.jetcd.api.LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build(),
                io.etcdkit.internal.CallKind.WRITE, ctx.deadline(), () -> "grant")).getID();
    }

    @Test
    void nestedTransactionsRunAtomically() {
        kv.put("txn/n", "1");
        TxnResult r = kv.commit(Transaction.always(
                Transaction.when(Compare.value("txn/n").equalTo("1")).then(Put.of("txn/n-inner", "ok")),
                Range.key("txn/n")));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.txnResult(0).succeeded()).isTrue();
        assertThat(kv.get("txn/n-inner")).isPresent();
    }

    @Test
    void writingOneKeyTwiceInATransactionIsRefused() {
        assertThatThrownBy(() -> kv.commit(Transaction.always(Put.of("txn/dup", "1"), Put.of("txn/dup", "2"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("once");
        assertThat(kv.exists("txn/dup")).isFalse();
    }

    @Test
    void putIfAbsentWritesOnlyOnce() {
        assertThat(kv.putIfAbsent("atomic/pia", "first")).isTrue();
        assertThat(kv.putIfAbsent("atomic/pia", "second")).isFalse();
        assertThat(kv.get("atomic/pia")).map(KeyValue::valueAsString).contains("first");
    }

    @Test
    void compareAndSetByValueAndByModRevision() {
        kv.put("atomic/cas", "a");
        assertThat(kv.compareAndSet("atomic/cas", "b", "c")).isFalse();
        assertThat(kv.compareAndSet("atomic/cas", "a", "b")).isTrue();
        assertThat(kv.compareAndSet("atomic/cas-missing", "", "x")).isFalse();
        KeyValue seen = kv.get("atomic/cas").orElseThrow();
        assertThat(kv.compareAndSet(seen.key(), seen.modRevision(), Bytes.of("d"))).isTrue();
        assertThat(kv.compareAndSet(seen.key(), seen.modRevision(), Bytes.of("e"))).isFalse();
        assertThat(kv.get("atomic/cas")).map(KeyValue::valueAsString).contains("d");
        assertThat(kv.compareAndSet(Bytes.of("atomic/cas-new"), 0, Bytes.of("created"))).isTrue();
    }

    @Test
    void compareAndDeleteDeletesOnlyTheExpectedValue() {
        kv.put("atomic/cad", "keep");
        assertThat(kv.compareAndDelete(Bytes.of("atomic/cad"), Bytes.of("other"))).isFalse();
        assertThat(kv.exists("atomic/cad")).isTrue();
        assertThat(kv.compareAndDelete(Bytes.of("atomic/cad"), Bytes.of("keep"))).isTrue();
        assertThat(kv.exists("atomic/cad")).isFalse();
    }

    @Test
    void moveIsAtomicAndRefusesToOverwrite() {
        kv.put("atomic/from", "payload");
        assertThat(kv.move("atomic/from", "atomic/to")).isTrue();
        assertThat(kv.exists("atomic/from")).isFalse();
        assertThat(kv.get("atomic/to")).map(KeyValue::valueAsString).contains("payload");
        kv.put("atomic/from2", "x");
        kv.put("atomic/taken", "y");
        assertThat(kv.move("atomic/from2", "atomic/taken")).isFalse();
        assertThat(kv.get("atomic/taken")).map(KeyValue::valueAsString).contains("y");
        assertThat(kv.exists("atomic/from2")).isTrue();
        assertThat(kv.move("atomic/missing", "atomic/anywhere")).isFalse();
    }

    @Test
    void bulkPutAndDeleteAreAllOrNothing() {
        Map<Bytes, Bytes> batch = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            batch.put(Bytes.of("bulk/k" + i), Bytes.of("v" + i));
        }
        long rev = kv.putAll(batch);
        RangeResult all = kv.range(Range.prefix("bulk/"));
        assertThat(all.count()).isEqualTo(100);
        assertThat(all.kvs()).allSatisfy(k -> assertThat(k.modRevision()).isEqualTo(rev));
        List<Bytes> keys = new ArrayList<>(batch.keySet()).subList(0, 50);
        assertThat(kv.deleteAll(keys)).isEqualTo(50);
        assertThat(kv.count(Range.prefix("bulk/"))).isEqualTo(50);
    }

    @Test
    void bulkPutOverTheTransactionLimitIsRefusedAndStoresNothing() {
        Map<Bytes, Bytes> batch = new LinkedHashMap<>();
        for (int i = 0; i < 129; i++) {
            batch.put(Bytes.of("toomany/k" + i), Bytes.of("v"));
        }
        assertThatThrownBy(() -> kv.putAll(batch)).isInstanceOf(TooManyOperationsException.class)
                .hasMessageContaining("128").hasMessageContaining("max-txn-ops");
        assertThat(kv.count(Range.prefix("toomany/"))).isZero();
    }

    @Test
    void serverLimitIsReportedWhenTheClientWasToldAHigherOne() {
        try (EtcdClient lax = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).maxTxnOps(1000).build()) {
            assertThat(lax.maxTxnOps()).isEqualTo(1000);
            assertThat(lax.withNamespace("ns/").maxTxnOps()).isEqualTo(1000);
            assertThat(client.maxTxnOps()).isEqualTo(128);
            Map<Bytes, Bytes> batch = new LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                batch.put(Bytes.of("toomany2/k" + i), Bytes.of("v"));
            }
            assertThatThrownBy(() -> lax.kv().putAll(batch)).isInstanceOf(TooManyOperationsException.class)
                    .hasMessageContaining("max-txn-ops");
            assertThat(kv.count(Range.prefix("toomany2/"))).isZero();
        }
    }

    @Test
    void bulkLoaderChunksLargeBatches() {
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            entries.put(Bytes.of(String.format("loader/k%05d", i)), Bytes.of("v" + i));
        }
        long written = kv.bulkLoader(100, 8).load(entries);
        assertThat(written).isEqualTo(5000);
        assertThat(kv.count(Range.prefix("loader/"))).isEqualTo(5000);
        assertThat(kv.get("loader/k04999")).map(KeyValue::valueAsString).contains("v4999");
        assertThatThrownBy(() -> kv.bulkLoader(500, 8)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("128");
    }

    @Test
    void bulkLoaderStopsAtTheFirstFailedBatchAndSaysHowMuchWasWritten() {
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            entries.put(Bytes.of(String.format("loaderfail/k%05d", i)), Bytes.of("v"));
        }
        // A value over the server's 1.5 MiB request limit makes its batch fail.
        entries.put(Bytes.of("loaderfail/zz-huge"), Bytes.of(new byte[2 * 1024 * 1024]));
        assertThatThrownBy(() -> kv.bulkLoader(100, 1).load(entries)).isInstanceOfSatisfying(
                BulkLoadException.class, e -> assertThat(e.written()).isEqualTo(300))
                .hasMessageContaining("300 entries were written");
    }
}
