package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import io.etcdkit.testing.check.WatchDeliveryChecker.Kind;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testing guide's example of a fault test: three real members, the member a watch runs on is frozen
 * (SIGSTOP) while writes go on, and a checker, not the eye, judges that no acknowledged write was lost, none
 * was delivered twice and the order held.
 */
class PausedMemberFaultTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void aWatcherLosesNothingWhileItsMemberIsFrozen(EtcdCluster cluster) throws Exception {
        WatchDeliveryChecker checker = new WatchDeliveryChecker();
        BlockingQueue<ConnectedEvent> connected = new LinkedBlockingQueue<>();
        AtomicLong delivered = new AtomicLong();
        try (EtcdClient client = EtcdClient.builder().endpoints(cluster.clientEndpoints())
                .attemptTimeout(Duration.ofSeconds(1)).build();
             Watcher watcher = client.watches().watch(Watch.prefix("fault/"), event -> {
                 if (event instanceof ConnectedEvent c) {
                     connected.add(c);
                 } else if (event instanceof PutEvent p) {
                     checker.delivered(p.kv().keyAsString(), p.revision(), Kind.PUT, p.kv().valueAsString());
                     delivered.set(p.revision());
                 } else if (event instanceof DeleteEvent d) {
                     checker.delivered(d.key().toStringUtf8(), d.revision(), Kind.DELETE, null);
                     delivered.set(d.revision());
                 } else if (event instanceof DisconnectedEvent) {
                     checker.disconnected();
                 } else if (event instanceof ResumedEvent) {
                     checker.resumed();
                 } else if (event instanceof CompactedEvent c) {
                     checker.compacted(c.compactRevision());
                 }
             })) {
            ConnectedEvent start = connected.poll(10, TimeUnit.SECONDS);
            assertThat(start).as("the watch was established").isNotNull();
            EtcdMember watched = cluster.members().stream()
                    .filter(m -> m.clientEndpoint().equals(start.endpoint())).findFirst().orElseThrow();

            long last = 0;
            for (int i = 0; i < 200; i++) {
                if (i == 50) {
                    watched.pause(); // SIGSTOP: sockets stay open, nothing answers
                } else if (i == 150) {
                    watched.resume();
                }
                String key = "fault/k" + (i % 20);
                String value = "v" + i; // distinct values: a write applied twice is visible as such
                try {
                    long revision = client.kv().put(key, value).revision();
                    checker.acknowledged(key, revision, Kind.PUT, value);
                    last = Math.max(last, revision);
                } catch (OutcomeUnknownException e) {
                    checker.unknown(key, value); // sent to the frozen member: applied at most once
                }
            }

            long target = last;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Map<String, String> store = new HashMap<>();
            for (KeyValue kv : client.kv().range(Range.prefix("fault/").atRevision(target)).kvs()) {
                store.put(kv.keyAsString(), kv.valueAsString());
            }
            WatchDeliveryChecker.Report report = checker.check(start.fromRevision(), target, store);
            System.out.println("PAUSED MEMBER: " + report.summary());
            report.assertClean();
            assertThat(report.deliveredCount()).isGreaterThanOrEqualTo(150);
        }
    }
}
