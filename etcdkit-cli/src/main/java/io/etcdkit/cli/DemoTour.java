package io.etcdkit.cli;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's sections, each a short, printed use of one feature. The client is namespaced, so keys shown are
 * relative to the demo's prefix.
 */
final class DemoTour {
    private final EtcdClient client;
    private final Kv kv;
    private final PrintWriter out;

    DemoTour(EtcdClient client, PrintWriter out) {
        this.client = client;
        this.kv = client.kv();
        this.out = out;
    }

    void run() {
        kv.delete(Delete.all());
        keysAndValues();
        prefixesAndPaging();
        transactionsAndCompareAndSet();
        namespaces();
        clearErrors();
        kv.delete(Delete.all());
    }

    private void section(String title) {
        out.println();
        out.println("== " + title + " ==");
        out.flush();
    }

    private void keysAndValues() {
        section("Keys and values");
        long rev = kv.put("config/mode", "fast").revision();
        out.println("put config/mode=fast at revision " + rev);
        KeyValue kvRead = kv.get("config/mode").orElseThrow();
        out.println("get config/mode -> " + kvRead.valueAsString() + " (version " + kvRead.version() + ")");
        long rev2 = kv.put("config/mode", "safe").revision();
        out.println("put config/mode=safe at revision " + rev2);
        String old = kv.range(Range.key("config/mode").atRevision(rev)).first().map(KeyValue::valueAsString)
                .orElse("?");
        out.println("read at revision " + rev + " -> " + old + " (history is kept until compaction)");
        out.println("exists config/missing -> " + kv.exists("config/missing"));
    }

    private void prefixesAndPaging() {
        section("Prefixes, globs and paging");
        Map<Bytes, Bytes> batch = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            batch.put(Bytes.of(String.format("jobs/%04d", i)), Bytes.of("queued"));
        }
        long loaded = kv.bulkLoader(100, 4).load(batch);
        out.println("bulk-loaded " + loaded + " keys under jobs/ in batches of 100");
        out.println("count jobs/ -> " + kv.count(Range.prefix("jobs/")));
        out.println("first 3 keys -> " + kv.range(Range.prefix("jobs/").limit(3).keysOnly()).kvs().stream()
                .map(KeyValue::keyAsString).toList());
        long scanned;
        try (var s = kv.scan(Range.prefix("jobs/"), 128)) {
            scanned = s.count();
        }
        out.println("paged scan of jobs/ in pages of 128 at one revision -> " + scanned + " keys");
        kv.put("svc/api/config", "a");
        kv.put("svc/web/config", "b");
        kv.put("svc/web/secret", "c");
        out.println("keys matching svc/*/config -> " + kv.keysMatching("svc/*/config").stream()
                .map(Bytes::toStringUtf8).toList());
        out.println("delete prefix jobs/ -> " + kv.deletePrefix("jobs/").deleted() + " keys deleted");
    }

    private void transactionsAndCompareAndSet() {
        section("Transactions and compare-and-set");
        kv.put("account/balance", "100");
        KeyValue seen = kv.get("account/balance").orElseThrow();
        TxnResult r = kv.commit(Transaction
                .when(Compare.modRevision("account/balance").equalTo(seen.modRevision()))
                .then(Put.of("account/balance", "80"), Put.of("account/last-withdrawal", "20"))
                .otherwise(Range.key("account/balance")));
        out.println("withdraw 20 if nobody wrote since revision " + seen.modRevision() + " -> "
                + (r.succeeded() ? "applied" : "conflict"));
        boolean stale = kv.compareAndSet(seen.key(), seen.modRevision(), Bytes.of("50"));
        out.println("a second writer with the stale revision -> " + (stale ? "applied (wrong!)" : "refused"));
        out.println("put-if-absent lock/owner=demo -> " + kv.putIfAbsent("lock/owner", "demo"));
        out.println("put-if-absent lock/owner=other -> " + kv.putIfAbsent("lock/owner", "other"));
        out.println("move lock/owner -> lock/previous-owner -> " + kv.move("lock/owner", "lock/previous-owner"));
    }

    private void namespaces() {
        section("Namespaces");
        EtcdClient tenantA = client.withNamespace("tenant-a/");
        EtcdClient tenantB = client.withNamespace("tenant-b/");
        tenantA.kv().put("plan", "gold");
        tenantB.kv().put("plan", "free");
        out.println("tenant-a sees plan=" + tenantA.kv().get("plan").map(KeyValue::valueAsString).orElse("?")
                + ", tenant-b sees plan=" + tenantB.kv().get("plan").map(KeyValue::valueAsString).orElse("?"));
        out.println("stored as " + kv.listKeys("tenant-").stream().map(Bytes::toStringUtf8).toList()
                + " under the demo's own namespace " + client.namespace());
    }

    private void clearErrors() {
        section("Clear errors");
        try {
            kv.put("", "x");
        } catch (InvalidArgumentException e) {
            out.println("empty key -> " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Map<Bytes, Bytes> tooMany = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            tooMany.put(Bytes.of("batch/" + i), Bytes.of("v"));
        }
        try {
            kv.putAll(tooMany);
        } catch (TooManyOperationsException e) {
            out.println("atomic batch of 200 -> " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        out.println("nothing stored by the refused batch -> count batch/ = " + kv.count(Range.prefix("batch/")));
    }
}
