package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code failover}: write gaps under member faults, etcdkit and jetcd side by side, each with default settings on
 * a 3-member cluster this bench starts itself (it must kill and freeze members; {@code --endpoints} is not used).
 * Per client: {@code --rounds} rounds of leader SIGKILL and of leader SIGSTOP under one sequential writer (the
 * longest time between two acknowledged puts from the fault on), a follower frozen for 10 s (the writer's total
 * stall: the sum of puts that took over 200 ms), and for etcdkit a watch whose stream is on a frozen member (time
 * from SIGSTOP to the first event of a write made after it). Not part of {@code all}. Rows are printed, not charted.
 */
final class FailoverBench implements WorkloadBench {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long PUT_TIMEOUT_SECONDS = 15;

    /** One client's sequential put, failing with an exception. */
    interface Putter extends AutoCloseable {
        void put(String key, String value) throws Exception;

        @Override
        void close();
    }

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        int rounds = ctx.options().sizes().rounds();
        List<String> clients = new ArrayList<>();
        for (Target t : ctx.etcdkitAndJetcd(w)) {
            clients.add(t instanceof JetcdTarget ? "jetcd" : "etcdkit");
        }
        ctx.out().printf(Locale.ROOT, "%nfailover: own 3-member cluster, default client settings, %d rounds per "
                + "fault and client%n", rounds);
        try (EtcdCluster cluster = EtcdCluster.builder().members(3).build()) {
            cluster.start();
            for (String name : clients) {
                long[] kill = new long[rounds];
                long[] stop = new long[rounds];
                for (int r = 0; r < rounds; r++) {
                    kill[r] = leaderFault(cluster, name, EtcdMember::kill, EtcdMember::start);
                    stop[r] = leaderFault(cluster, name, EtcdMember::pause, EtcdMember::resume);
                }
                long stall = frozenFollowerStall(cluster, name);
                String watch = name.equals("etcdkit") ? frozenWatchBackToFresh(cluster) + " ms"
                        : "n/a (stream member not observable)";
                ctx.out().printf(Locale.ROOT, "%-36s leader SIGKILL gap p50 %5d ms max %5d ms; leader SIGSTOP gap "
                        + "p50 %5d ms max %5d ms; frozen follower 10 s: writer stall %5d ms; watch on a frozen member "
                        + "back to fresh %s%n", "failover / " + name, p50(kill), max(kill), p50(stop), max(stop),
                        stall, watch);
            }
        }
        return List.of();
    }

    private static Putter putter(String name, List<String> endpoints) {
        if (name.equals("jetcd")) {
            Client c = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
            return new Putter() {
                @Override
                public void put(String key, String value) throws Exception {
                    c.getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8),
                            ByteSequence.from(value, StandardCharsets.UTF_8)).get(PUT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }

                @Override
                public void close() {
                    c.close();
                }
            };
        }
        EtcdClient c = EtcdClient.builder().endpoints(endpoints).build();
        return new Putter() {
            @Override
            public void put(String key, String value) {
                c.kv().put(key, value);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    /** A sequential writer thread recording when each put was acknowledged and how long each took. */
    private static final class Writer implements AutoCloseable {
        final List<long[]> acks = new CopyOnWriteArrayList<>(); // {ackNanos, tookNanos}
        final AtomicLong seq = new AtomicLong();
        final Thread thread;
        volatile boolean stopping;

        Writer(Putter putter, String prefix) {
            thread = new Thread(() -> {
                while (!stopping) {
                    long n = seq.getAndIncrement();
                    long start = System.nanoTime();
                    try {
                        putter.put(prefix + n, "v" + n);
                        long now = System.nanoTime();
                        acks.add(new long[] {now, now - start});
                    } catch (Exception e) {
                        // unknown outcome, unavailable, time-out: the gap goes on
                    }
                }
            }, "failover-bench-writer");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitAcks(int count) throws InterruptedException {
            long end = System.nanoTime() + WAIT.toNanos();
            while (acks.size() < count && System.nanoTime() - end < 0) {
                Thread.sleep(5);
            }
        }

        long longestGapSince(long from) {
            long longest = 0;
            long previous = from;
            for (long[] a : acks) {
                if (a[0] - from > 0) {
                    longest = Math.max(longest, a[0] - previous);
                    previous = a[0];
                }
            }
            return longest / 1_000_000;
        }

        /** The time puts slower than 200 ms spent inside [from, to]. */
        long stallBetween(long from, long to) {
            long total = 0;
            for (long[] a : acks) {
                if (a[1] > 200_000_000L) {
                    long overlap = Math.min(a[0], to) - Math.max(a[0] - a[1], from);
                    total += Math.max(0, overlap);
                }
            }
            return total / 1_000_000;
        }

        @Override
        public void close() {
            stopping = true;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(PUT_TIMEOUT_SECONDS + 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long leaderFault(EtcdCluster cluster, String name, Consumer<EtcdMember> fault,
            Consumer<EtcdMember> heal) throws InterruptedException {
        EtcdMember leader = cluster.awaitLeader(WAIT);
        try (Putter p = putter(name, cluster.clientEndpoints()); Writer writer = new Writer(p, "fo/" + name + "/")) {
            writer.awaitAcks(100);
            long at = System.nanoTime();
            fault.accept(leader);
            try {
                writer.awaitAcks(writer.acks.size() + 100);
            } finally {
                heal.accept(leader);
            }
            long gap = writer.longestGapSince(at);
            cluster.awaitLeader(WAIT);
            return gap;
        }
    }

    private static long frozenFollowerStall(EtcdCluster cluster, String name) throws InterruptedException {
        EtcdMember leader = cluster.awaitLeader(WAIT);
        EtcdMember follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        try (Putter p = putter(name, cluster.clientEndpoints()); Writer writer = new Writer(p, "ff/" + name + "/")) {
            writer.awaitAcks(100);
            long at = System.nanoTime();
            follower.pause();
            long end = at + Duration.ofSeconds(10).toNanos();
            try {
                while (System.nanoTime() - end < 0) {
                    Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                }
            } finally {
                follower.resume();
            }
            writer.awaitAcks(writer.acks.size() + 20);
            return writer.stallBetween(at, end);
        }
    }

    /** etcdkit only: its stream opens on the first endpoint, so the frozen member is known. */
    private static long frozenWatchBackToFresh(EtcdCluster cluster) throws InterruptedException {
        EtcdMember leader = cluster.awaitLeader(WAIT);
        EtcdMember follower = cluster.members().stream().filter(m -> m != leader).findFirst().orElseThrow();
        List<String> watchEndpoints = new ArrayList<>();
        watchEndpoints.add(follower.clientEndpoint());
        List<String> others = cluster.clientEndpoints().stream().filter(e -> !e.equals(follower.clientEndpoint()))
                .toList();
        watchEndpoints.addAll(others);
        AtomicLong firstFreshNanos = new AtomicLong();
        AtomicLong freshFromRevision = new AtomicLong(Long.MAX_VALUE);
        try (EtcdClient watchClient = EtcdClient.builder().endpoints(watchEndpoints).build();
                EtcdClient writerClient = EtcdClient.builder().endpoints(others).build();
                Watcher watcher = watchClient.watches().watch(Watch.prefix("fw/"), e -> {
                    if (e instanceof PutEvent put && put.revision() >= freshFromRevision.get()) {
                        firstFreshNanos.compareAndSet(0, System.nanoTime());
                    }
                })) {
            writerClient.kv().put("fw/warm", "v");
            long at = System.nanoTime();
            follower.pause();
            try {
                long firstRevision = writerClient.kv().put("fw/0", "v").revision();
                freshFromRevision.set(firstRevision);
                long end = System.nanoTime() + WAIT.toNanos();
                for (int i = 1; firstFreshNanos.get() == 0 && System.nanoTime() - end < 0; i++) {
                    writerClient.kv().put("fw/" + i, "v");
                    Thread.sleep(5);
                }
            } finally {
                follower.resume();
            }
            long fresh = firstFreshNanos.get();
            return fresh == 0 ? -1 : (fresh - at) / 1_000_000;
        }
    }

    private static long p50(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
