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
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.recipes.election.ElectionEvent;
import io.etcdkit.recipes.election.ElectionObserver;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watcher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** One section of the tour: its title (printed as {@code == title ==}) and what it does. */
    record Section(String title, Runnable body) {
    }

    /**
     * The sections in the order they run. A new section is one method (or a {@code Demo*Section} class) and one
     * line here, placed where it reads best.
     */
    List<Section> sections() {
        return List.of(
                new Section("Keys and values", this::keysAndValues),
                new Section("Prefixes, globs and paging", this::prefixesAndPaging),
                new Section("Transactions and compare-and-set", this::transactionsAndCompareAndSet),
                new Section("Namespaces", this::namespaces),
                new Section("Leases", this::leases),
                new Section("Watches and subscriptions", this::watchesAndSubscriptions),
                new Section("Locks with fencing tokens", this::locksWithFencing),
                new Section("Leader election", this::leaderElection),
                new Section("Service registry", () -> new DemoRegistrySection(client, out).run()),
                new Section("Cached values", () -> new DemoCachedValueSection(client, out).run()),
                new Section("Typed repository", () -> new DemoRepositorySection(client, out).run()),
                new Section("Encryption", () -> new DemoEncryptionSection(client, out).run()),
                new Section("Clear errors", this::clearErrors));
    }

    void run() {
        kv.delete(Delete.all());
        for (Section section : sections()) {
            out.println();
            out.println("== " + section.title() + " ==");
            out.flush();
            section.body().run();
            out.flush();
        }
        kv.delete(Delete.all());
    }

    private void keysAndValues() {
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
        EtcdClient tenantA = client.withNamespace("tenant-a/");
        EtcdClient tenantB = client.withNamespace("tenant-b/");
        tenantA.kv().put("plan", "gold");
        tenantB.kv().put("plan", "free");
        out.println("tenant-a sees plan=" + tenantA.kv().get("plan").map(KeyValue::valueAsString).orElse("?")
                + ", tenant-b sees plan=" + tenantB.kv().get("plan").map(KeyValue::valueAsString).orElse("?"));
        out.println("stored as " + kv.listKeys("tenant-").stream().map(Bytes::toStringUtf8).toList()
                + " under the demo's own namespace " + client.namespace());
    }

    private void leases() {
        KeepAlive lease = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
        kv.put(Put.of("presence/worker-1", "online").lease(lease.id()));
        out.println("granted lease " + Long.toHexString(lease.id()) + " (TTL " + lease.ttl().toSeconds()
                + " s), kept alive on the shared keep-alive stream: state " + lease.state());
        out.println("presence/worker-1 attached to it -> exists " + kv.exists("presence/worker-1"));
        lease.revoke();
        out.println("revoked -> state " + lease.state() + ", presence/worker-1 exists " + kv.exists("presence/worker-1"));
    }

    private void watchesAndSubscriptions() {
        kv.put("services/a", "10.0.0.1");
        kv.put("services/b", "10.0.0.2");
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch live = new CountDownLatch(2);
        CountDownLatch snapshotDone = new CountDownLatch(1);
        try (Watcher sub = client.watches().subscribe(Subscribe.prefix("services/"), event -> {
            if (event instanceof PutEvent p) {
                seen.add("put " + p.kv().keyAsString() + "=" + p.kv().valueAsString());
            } else if (event instanceof DeleteEvent d) {
                seen.add("delete " + d.key());
            } else if (event instanceof SnapshotCompleteEvent c) {
                seen.add("snapshot complete (" + c.keys() + " keys at revision " + c.revision() + ")");
                snapshotDone.countDown();
            }
            if (event instanceof DeleteEvent || (event instanceof PutEvent p && p.kv().keyAsString().equals("services/c"))) {
                live.countDown();
            }
        })) {
            await(snapshotDone); // live changes from here on come after the snapshot's revision
            kv.put("services/c", "10.0.0.3");
            kv.delete("services/a");
            await(live);
        }
        seen.forEach(line -> out.println("subscription: " + line));
    }

    private void locksWithFencing() {
        try (Session session = Session.open(client, Duration.ofSeconds(5))) {
            Mutex mutex = Mutex.of(session, "locks/report");
            try (HeldLock held = mutex.lock()) {
                out.println("holding " + held.key() + " with fencing token " + held.fencingToken());
                boolean guarded = kv.commit(Transaction.when(held.guard())
                        .then(Put.of("report/owner", "demo"))).succeeded();
                out.println("guarded write while holding -> " + (guarded ? "applied" : "refused"));
                try (Session other = Session.open(client, Duration.ofSeconds(5))) {
                    out.println("another session's tryLock -> "
                            + (Mutex.of(other, "locks/report").tryLock().isPresent() ? "acquired (wrong!)" : "busy"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void leaderElection() {
        List<String> observed = new CopyOnWriteArrayList<>();
        try (ElectionObserver observer = ElectionObserver.open(client, "election/scheduler", e -> {
            if (e instanceof ElectionEvent.LeaderElected le) {
                observed.add("leader " + le.leader().valueAsString() + " (epoch " + le.leader().revision() + ")");
            } else if (e instanceof ElectionEvent.NoLeader) {
                observed.add("no leader");
            }
        }); Session a = Session.open(client, Duration.ofSeconds(5))) {
            Leadership lead = LeaderElection.of(a, "election/scheduler").campaign("node-a");
            out.println("node-a campaigned and leads with epoch " + lead.epoch());
            lead.resign();
            out.println("node-a resigned");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (observed.size() < 3 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        observed.forEach(line -> out.println("observer saw: " + line));
    }

    /** Waits (10 s at most) for something the demo's own watch must see. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the demo's watch did not see its own writes within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void clearErrors() {
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
