package io.etcdkit.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Leader SIGKILL and leader SIGSTOP in rounds (3 each by default, 10 with {@code -Dfailover.rounds=10}) on 3
 * members with default client settings: one sequential writer puts a unique key and value per sequence number, a
 * prefix watch on another client receives them, and the checkers judge the result: 0 acknowledged writes lost, 0
 * events duplicated, 0 writes applied twice (every stored key has version 1; outcome-unknown writes are reconciled
 * against the store). Prints the longest gap between acknowledged writes per round and a {@code FAILOVER ROUNDS}
 * summary.
 */
class FailoverRoundsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static final int ROUNDS = Integer.getInteger("failover.rounds", 3);
    static final Duration WAIT = Duration.ofSeconds(30);

    @AfterEach
    void heal() {
        for (EtcdMember m : ETCD.cluster().members()) {
            if (m.isPaused()) {
                m.resume();
            }
            if (!m.isRunning()) {
                m.start();
            }
        }
        ETCD.cluster().awaitLeader(WAIT);
    }

    /** One sequential writer thread; records acknowledged puts and the times between them. */
    static final class Writer implements Runnable {
        final EtcdClient client;
        final String prefix;
        final WatchDeliveryChecker checker;
        final Thread thread = new Thread(this, "failover-writer");
        volatile boolean stopping;
        final List<Long> ackTimes = new CopyOnWriteArrayList<>();
        final List<String> unknownKeys = new CopyOnWriteArrayList<>();
        final List<String> acknowledgedKeys = new CopyOnWriteArrayList<>();
        volatile Throwable failure;
        volatile long lastRevision;
        int seq;

        Writer(EtcdClient client, String prefix, WatchDeliveryChecker checker) {
            this.client = client;
            this.prefix = prefix;
            this.checker = checker;
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    String key = prefix + String.format("%06d", seq);
                    String value = "s" + seq;
                    seq++;
                    try {
                        PutResult r = client.kv().put(key, value);
                        checker.acknowledged(key, r.revision(), WatchDeliveryChecker.Kind.PUT, value);
                        acknowledgedKeys.add(key);
                        lastRevision = r.revision();
                        ackTimes.add(System.nanoTime());
                    } catch (OutcomeUnknownException e) {
                        unknownKeys.add(key);
                    } catch (EtcdException e) {
                        // Surely not applied (no leader, unavailable before sending): not recorded; the checker
                        // reports it as unexpected should it show up anyway.
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        int acked() {
            return ackTimes.size();
        }

        void awaitAcks(int count) {
            Awaitility.await().atMost(WAIT).until(() -> acked() >= count || failure != null);
            assertThat(failure).isNull();
        }

        /** The longest time between two acknowledged writes from {@code fromNanos} on. */
        long longestGapSince(long fromNanos) {
            long longest = 0;
            long previous = fromNanos;
            for (long t : ackTimes) {
                if (t - fromNanos > 0) {
                    longest = Math.max(longest, t - previous);
                    previous = t;
                }
            }
            return longest;
        }
    }

    @Test
    void leaderKillAndLeaderStopRoundsLoseDuplicateAndRepeatNothing() throws Exception {
        String prefix = "fr/";
        WatchDeliveryChecker checker = new WatchDeliveryChecker();
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        long[] killGaps = new long[ROUNDS];
        long[] stopGaps = new long[ROUNDS];
        try (EtcdClient writerClient = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                EtcdClient watchClient = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            long start = writerClient.kv().put("fr-start", "x").revision() + 1;
            Writer writer = new Writer(writerClient, prefix, checker);
            try (Watcher w = watchClient.watches().watch(Watch.prefix(prefix).fromRevision(start), events::add)) {
                writer.thread.start();
                writer.awaitAcks(50);
                for (int r = 0; r < ROUNDS; r++) {
                    killGaps[r] = round(writer, "kill", r, EtcdMember::kill, EtcdMember::start);
                    stopGaps[r] = round(writer, "stop", r, EtcdMember::pause, EtcdMember::resume);
                }
                writer.stopping = true;
                writer.thread.join(WAIT.toMillis());
                assertThat(writer.failure).isNull();
                long to = writerClient.kv().put(prefix + "~fence", "fence").revision();
                checker.acknowledged(prefix + "~fence", to, WatchDeliveryChecker.Kind.PUT, "fence");
                Awaitility.await().atMost(WAIT).until(() -> maxRevision(events) >= to);

                // Reconcile outcome-unknown writes with the store; count writes applied more than once.
                Map<String, KeyValue> stored = new HashMap<>();
                for (KeyValue kv : writerClient.kv().range(Range.prefix(prefix).atRevision(to)).kvs()) {
                    stored.put(kv.keyAsString(), kv);
                }
                int appliedUnknown = 0;
                for (String key : writer.unknownKeys) {
                    KeyValue kv = stored.get(key);
                    if (kv != null) {
                        appliedUnknown++;
                        checker.acknowledged(key, kv.createRevision(), WatchDeliveryChecker.Kind.PUT,
                                kv.valueAsString());
                    }
                }
                List<String> twice = stored.values().stream().filter(kv -> kv.version() != 1)
                        .map(kv -> kv.keyAsString() + " version " + kv.version()).toList();
                List<String> lostAcks = writer.acknowledgedKeys.stream().filter(k -> !stored.containsKey(k))
                        .toList();
                feed(checker, events);
                Map<String, String> store = new HashMap<>();
                stored.forEach((k, kv) -> store.put(k, kv.valueAsString()));
                WatchDeliveryChecker.Report report = checker.check(start, to, store);

                System.out.printf("FAILOVER ROUNDS: kill p50 %d ms max %d ms; stop p50 %d ms max %d ms; "
                        + "unknown=%d (%d applied); lost=%d dup=%d twice=%d; %d writes acknowledged, %d rounds "
                        + "each; checker: %s%n", p50(killGaps), max(killGaps), p50(stopGaps), max(stopGaps),
                        writer.unknownKeys.size(), appliedUnknown, report.lost().count() + lostAcks.size(),
                        report.duplicated().count(), twice.size(), writer.acked(), ROUNDS, report.summary());
                assertThat(lostAcks).as("acknowledged writes missing from the store").isEmpty();
                assertThat(twice).as("writes applied more than once").isEmpty();
                assertThat(report.lost().count()).as("lost: %s", report.lost()).isZero();
                assertThat(report.duplicated().count()).as("duplicated: %s", report.duplicated()).isZero();
                assertThat(report.outOfOrder().count()).as("out of order: %s", report.outOfOrder()).isZero();
                assertThat(report.unexpected().count()).as("unexpected: %s", report.unexpected()).isZero();
                assertThat(max(killGaps)).as("longest write gap after a leader kill, ms").isLessThan(5_000);
                assertThat(max(stopGaps)).as("longest write gap after a leader stop, ms").isLessThan(6_000);
            } finally {
                writer.stopping = true;
            }
        }
    }

    /** One fault on the leader under the writer; returns the longest write gap (ms) until 100 more acks. */
    private long round(Writer writer, String kind, int r, Consumer<EtcdMember> fault, Consumer<EtcdMember> heal) {
        EtcdMember leader = ETCD.cluster().awaitLeader(WAIT);
        writer.awaitAcks(writer.acked() + 30);
        long at = System.nanoTime();
        fault.accept(leader);
        try {
            writer.awaitAcks(writer.acked() + 100);
            Awaitility.await().atMost(WAIT).until(() -> ETCD.cluster().awaitLeader(WAIT) != leader);
        } finally {
            heal.accept(leader);
        }
        long gap = writer.longestGapSince(at) / 1_000_000;
        System.out.printf("FAILOVER ROUND %s %d: longest write gap %d ms%n", kind, r + 1, gap);
        ETCD.cluster().awaitLeader(WAIT);
        writer.awaitAcks(writer.acked() + 30);
        return gap;
    }

    private static long maxRevision(List<WatchEvent> events) {
        long max = 0;
        for (WatchEvent e : events) {
            if (e instanceof PutEvent p) {
                max = Math.max(max, p.revision());
            }
        }
        return max;
    }

    private static void feed(WatchDeliveryChecker checker, List<WatchEvent> events) {
        for (WatchEvent e : events) {
            if (e instanceof PutEvent p) {
                checker.delivered(p.kv().keyAsString(), p.revision(), WatchDeliveryChecker.Kind.PUT,
                        p.kv().valueAsString());
            } else if (e instanceof DeleteEvent d) {
                checker.delivered(d.key().toStringUtf8(), d.revision(), WatchDeliveryChecker.Kind.DELETE, null);
            } else if (e instanceof DisconnectedEvent) {
                checker.disconnected();
            } else if (e instanceof ResumedEvent) {
                checker.resumed();
            }
        }
    }

    private static long p50(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
