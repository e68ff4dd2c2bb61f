package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A multi-key transaction is never seen half applied, by concurrent readers or by listeners. */
class CachedViewAtomicityTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String PREFIX = "atomic/";
    static final int KEYS = 8;
    static final int TXNS = 400;

    @Test
    void concurrentReadersNeverSeeHalfATransaction() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
             CachedView<String> view = CachedView.open(client, PREFIX, Codecs.text())) {
            assertThat(view.awaitReady(Duration.ofSeconds(10))).isTrue();
            List<String> violations = new CopyOnWriteArrayList<>();
            view.addListener(new CacheListener<>() {
                @Override
                public void onPut(CachedEntry<String> entry) {
                    check(view.snapshot(), violations, "listener");
                    if (view.revision() != entry.modRevision()) {
                        violations.add("listener for revision " + entry.modRevision() + " saw the view at "
                                + view.revision());
                    }
                }
            });
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong checks = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread t = new Thread(() -> {
                    while (writing.get()) {
                        check(view.snapshot(), violations, "reader");
                        checks.incrementAndGet();
                    }
                });
                t.start();
                readers.add(t);
            }
            // Pipelined writes: many transactions queue up in the view's subscription at once.
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int t = 0; t < TXNS; t++) {
                writes.add(client.kv().commitAsync(t % 10 == 9
                        ? Transaction.always(Delete.prefix(PREFIX))
                        : Transaction.always(puts("t" + t))));
            }
            long last = 0;
            for (CompletableFuture<?> w : writes) {
                last = Math.max(last, ((io.etcdkit.kv.TxnResult) w.join()).revision());
            }
            assertThat(view.awaitRevision(last, Duration.ofSeconds(20))).isTrue();
            writing.set(false);
            for (Thread t : readers) {
                t.join(10_000);
            }
            System.out.printf("CACHE ATOMICITY: %d snapshot checks by 2 readers during %d transactions of %d keys, "
                    + "%d violations%n", checks.get(), TXNS, KEYS, violations.size());
            assertThat(checks.get()).isPositive();
            assertThat(violations).isEmpty();
        }
    }

    private static Op[] puts(String value) {
        Op[] ops = new Op[KEYS];
        for (int k = 0; k < KEYS; k++) {
            ops[k] = Put.of(PREFIX + k, value);
        }
        return ops;
    }

    /** Every key holds the same value, or none exists. */
    private static void check(CacheSnapshot<String> snapshot, List<String> violations, String who) {
        Map<String, String> values = snapshot.asMap();
        Set<String> distinct = new HashSet<>(values.values());
        if (!(values.isEmpty() || (values.size() == KEYS && distinct.size() == 1))) {
            violations.add(who + " saw half a transaction at revision " + snapshot.revision() + ": " + values);
        }
    }
}
