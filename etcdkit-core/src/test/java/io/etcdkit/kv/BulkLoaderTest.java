package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the bulk loader cuts its batches, judged by etcd's revisions: every transaction that writes takes exactly
 * one revision, so the revision's growth over a load is the number of transactions sent.
 */
class BulkLoaderTest {
    /** A server that allows larger transactions than etcd's default of 128 operations. */
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().extraArgs("--max-txn-ops=1000").build();

    @Test
    void theDefaultLoaderUsesTheLargestTransactionsTheServerAllows() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).maxTxnOps(1000).build()) {
            Kv kv = client.kv();
            Map<Bytes, Bytes> entries = entries("big-txns/", 5000, 10);
            long before = revision(kv);
            assertThat(kv.bulkLoader().load(entries)).isEqualTo(5000);
            assertThat(revision(kv) - before).as("transactions sent").isEqualTo(5);
            assertThat(kv.count(Range.prefix("big-txns/"))).isEqualTo(5000);
        }
    }

    @Test
    void batchesStayUnderTheServerRequestLimitWhateverTheirCount() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).maxTxnOps(1000).build()) {
            Kv kv = client.kv();
            // 60 values of 100 KiB: 6 MB in all, four times etcd's default 1.5 MiB request limit.
            Map<Bytes, Bytes> entries = entries("big-values/", 60, 100 * 1024);
            long before = revision(kv);
            assertThat(kv.bulkLoader(1000, 2).load(entries)).isEqualTo(60);
            // 15 puts of ~100 KiB fit under 1.5 MiB less the headroom, 16 do not: 60 / 15 transactions.
            assertThat(revision(kv) - before).as("transactions sent").isEqualTo(4);
            assertThat(kv.count(Range.prefix("big-values/"))).isEqualTo(60);
        }
    }

    @Test
    void aSmallerRequestLimitToldToTheClientMakesSmallerBatches() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).maxTxnOps(1000)
                .maxRequestBytes(64 * 1024).build()) {
            Kv kv = client.kv();
            // 200 puts of 1 KiB: 63 KiB of budget holds 60 of them (1,024 + 18 key + 24 overhead bytes each).
            Map<Bytes, Bytes> entries = entries("small-limit/", 200, 1024);
            long before = revision(kv);
            assertThat(kv.bulkLoader().load(entries)).isEqualTo(200);
            assertThat(revision(kv) - before).as("transactions sent").isEqualTo(4); // 60 + 60 + 60 + 20
        }
    }

    private static Map<Bytes, Bytes> entries(String prefix, int n, int valueBytes) {
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(Bytes.of(String.format("%sk%05d", prefix, i)), Bytes.of(new byte[valueBytes]));
        }
        return entries;
    }

    private static long revision(Kv kv) {
        return kv.range(Range.key("none").countOnly()).revision();
    }
}
