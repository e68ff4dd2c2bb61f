package io.etcdkit.recipes.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.WorkQueueChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The work queue under real faults, judged by {@link WorkQueueChecker}: 4 producers add 10,000 items (every 50th
 * a poison item that always fails) on 3 members; 8 consumers (5 threads here, 3 child JVMs) process them while
 * the test SIGKILLs child consumers (replaced at once), SIGSTOPs one past its TTL, revokes the leases of two
 * consumer threads mid-claim (a pause past the TTL as an outside observer sees it) and kills the leader.
 */
class WorkQueueFaultTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static final int PRODUCERS = 4;
    static final int ITEMS_PER_PRODUCER = 2_500;
    static final int ITEMS = PRODUCERS * ITEMS_PER_PRODUCER;
    static final int LOCAL_CONSUMERS = 5;
    static final int CHILD_CONSUMERS = 3;
    static final int MAX_ATTEMPTS = 3;
    static final Duration TTL = Duration.ofSeconds(3);
    static final String QUEUE = "fault";

    final WorkQueueChecker checker = new WorkQueueChecker(MAX_ATTEMPTS);
    final AtomicLong acked = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final List<Child> children = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(180)
    void everyItemIsAcknowledgedExactlyOnceUnderKillsPausesAndALeaderKill() throws Exception {
        long t0 = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + LOCAL_CONSUMERS);
        int kills = 0;
        int pauses = 0;
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                EtcdClient outsider = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                WorkQueue queue = WorkQueue.of(client, QUEUE).maxAttempts(MAX_ATTEMPTS)) {
            for (int c = 0; c < CHILD_CONSUMERS; c++) {
                children.add(Child.start("child-" + c, this));
            }
            List<ConsumerLoop> locals = new ArrayList<>();
            for (int c = 0; c < LOCAL_CONSUMERS; c++) {
                ConsumerLoop loop = new ConsumerLoop(client, queue, TTL, localRecorder("local-" + c), stop);
                locals.add(loop);
                pool.submit(loop);
            }
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                String producer = "producer-" + p;
                producers.add(pool.submit(() -> produce(queue, producer)));
            }
            for (Child child : children) {
                assertThat(child.ready.get(60, TimeUnit.SECONDS)).isTrue();
            }

            awaitAcked(ITEMS / 7);
            kill(0);
            kills++;
            awaitAcked(2 * ITEMS / 7);
            pauseByRevoking(locals.get(0), outsider);
            pauses++;
            awaitAcked(3 * ITEMS / 7);
            EtcdMember leader = ETCD.cluster().leader();
            leader.kill();
            Thread.sleep(2_000);
            leader.start();
            awaitAcked(4 * ITEMS / 7);
            stopAndContinue(children.get(1), TTL.plusSeconds(2));
            pauses++;
            awaitAcked(5 * ITEMS / 7);
            kill(2);
            kills++;
            pauseByRevoking(locals.get(1), outsider);
            pauses++;

            for (Future<?> f : producers) {
                f.get(120, TimeUnit.SECONDS);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (queue.stats().items() > 0) {
                assertThat(System.nanoTime()).as("the queue drains: %s", queue.stats()).isLessThan(end);
                Thread.sleep(100);
            }
            stop.set(true);
            Thread.sleep(500); // the children's last lines arrive
            for (Child child : children) {
                child.stop(checker);
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (DeadLetter dead : queue.deadLetters(0)) {
                checker.deadLetter(dead.id(), dead.attempts());
            }
            for (ItemView left : queue.items(0)) {
                checker.leftInQueue(left.id());
            }
            WorkQueueChecker.Report report = checker.check();
            System.out.printf("WORK QUEUE CHECK: items=%d kills=%d pauses=%d acked=%d redelivered=%d dead=%d "
                            + "violations=%d (%d claims, %d fenced acks or nacks refused, leader killed once, %d s)%n",
                    report.added(), kills, pauses, report.acked(), report.redelivered(), report.dead(),
                    report.violations(), report.claims(), refused.get(), (System.nanoTime() - t0) / 1_000_000_000);
            System.out.println(report);
            report.assertClean();
            assertThat(report.added()).isEqualTo(ITEMS);
            assertThat(report.acked() + report.dead()).isEqualTo(ITEMS);
            assertThat(report.dead()).as("every poison item, and (rarely) an item failed at random 3 times")
                    .isGreaterThanOrEqualTo(ITEMS / 50);
            assertThat(report.redelivered()).as("kills and pauses caused redeliveries").isPositive();
            assertThat(refused.get()).as("the stale holders tried and were fenced out").isPositive();
        } finally {
            stop.set(true);
            pool.shutdownNow();
            for (Child child : children) {
                child.process.destroyForcibly();
            }
        }
    }

    /** Producers 0 and 1 add one item at a time, producers 2 and 3 in batches of 10 ({@code addAll}). */
    private void produce(WorkQueue queue, String producer) {
        int batch = producer.endsWith("-0") || producer.endsWith("-1") ? 1 : 10;
        for (int from = 0; from < ITEMS_PER_PRODUCER; from += batch) {
            List<NewItem> items = new ArrayList<>();
            for (int i = from; i < Math.min(ITEMS_PER_PRODUCER, from + batch); i++) {
                items.add(NewItem.of((i % 50 == 49 ? "poison-" : "job-") + producer + "-" + i));
            }
            while (true) {
                try {
                    List<Added> added = batch == 1 ? List.of(queue.add(items.get(0))) : queue.addAll(items);
                    for (int k = 0; k < added.size(); k++) {
                        checker.added(added.get(k).id(), producer, 0, from + k);
                    }
                    break;
                } catch (EtcdException e) {
                    sleep(100); // refused before it was written (no leader): add again
                }
            }
        }
    }

    private void awaitAcked(long target) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.get() < target) {
            assertThat(System.nanoTime()).as("progress: %d acked, waiting for %d", acked.get(), target)
                    .isLessThan(end);
            Thread.sleep(20);
        }
    }

    private void kill(int index) throws Exception {
        Child victim = children.get(index);
        victim.process.destroyForcibly(); // SIGKILL: no revoke, its claims expire with its lease
        assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        victim.stop(checker);
        Child replacement = Child.start(victim.name + "r", this);
        children.set(index, replacement);
        assertThat(replacement.ready.get(60, TimeUnit.SECONDS)).isTrue();
    }

    /** The consumer stops while holding claims; an outside client revokes its lease; then it tries to settle. */
    private void pauseByRevoking(ConsumerLoop loop, EtcdClient outsider) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.pause = session -> {
            outsider.leases().revoke(session.leaseId());
            sleep(1_000); // the items are returned and handed to others meanwhile
            done.complete(null);
        };
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the paused consumer never held a claim", e);
        }
    }

    private static void stopAndContinue(Child child, Duration pause) throws Exception {
        signal("STOP", child.process.pid());
        Thread.sleep(pause.toMillis()); // its lease expires while it is frozen
        signal("CONT", child.process.pid());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    }

    private ConsumerLoop.Recorder localRecorder(String name) {
        return new ConsumerLoop.Recorder() {
            @Override
            public void claimed(String id, long token) {
                checker.claimed(id, name, token);
            }

            @Override
            public void acking(String id, long token) {
            }

            @Override
            public void acked(String id, long token, boolean accepted) {
                recordAck(id, name, token, accepted);
            }

            @Override
            public void ackUnknown(String id, long token) {
                checker.ackOutcomeUnknown(id, name, token);
            }

            @Override
            public void nacked(String id, long token, boolean accepted) {
                recordNack(id, name, token, accepted);
            }
        };
    }

    void recordAck(String id, String who, long token, boolean accepted) {
        if (accepted) {
            checker.acked(id, who, token);
            acked.incrementAndGet();
        } else {
            refused.incrementAndGet();
        }
    }

    void recordNack(String id, String who, long token, boolean accepted) {
        if (accepted) {
            checker.nacked(id, who, token);
        } else {
            refused.incrementAndGet();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A consumer in a child JVM, its output parsed into the checker as it comes. */
    static final class Child {
        final String name;
        final Process process;
        final CompletableFuture<Boolean> ready = new CompletableFuture<>();
        /** Acks sent whose answer has not been printed yet: id to token. */
        final Map<String, Long> acking = new ConcurrentHashMap<>();
        final Thread reader;

        private Child(String name, Process process, WorkQueueFaultTest test) {
            this.name = name;
            this.process = process;
            this.reader = new Thread(() -> read(test), "output-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String name, WorkQueueFaultTest test) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp",
                    io.etcdkit.recipes.testing.ChildJvm.classPath(ConsumerProcess.class), ConsumerProcess.class.getName(),
                    ETCD.clientEndpointsString(), QUEUE, String.valueOf(MAX_ATTEMPTS),
                    String.valueOf(TTL.toSeconds()));
            pb.redirectErrorStream(true);
            return new Child(name, pb.start(), test);
        }

        private void read(WorkQueueFaultTest test) {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready.complete(true);
                        continue;
                    }
                    String[] f = line.split(" ");
                    if (f.length != 3 || f[0].length() != 1) {
                        continue; // a log line
                    }
                    String id = f[1];
                    long token = Long.parseLong(f[2]);
                    switch (f[0]) {
                        case "C" -> test.checker.claimed(id, name, token);
                        case "T" -> acking.put(id, token);
                        case "A", "R" -> {
                            acking.remove(id);
                            test.recordAck(id, name, token, f[0].equals("A"));
                        }
                        case "U" -> {
                            acking.remove(id);
                            test.checker.ackOutcomeUnknown(id, name, token);
                        }
                        case "N", "M" -> test.recordNack(id, name, token, f[0].equals("N"));
                        default -> { }
                    }
                }
            } catch (Exception e) {
                // the process died
            } finally {
                ready.complete(false);
            }
        }

        /** Kills the child if still running; its acks without a printed answer become unknown outcomes. */
        void stop(WorkQueueChecker checker) throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            acking.forEach((id, token) -> checker.ackOutcomeUnknown(id, name, token));
            acking.clear();
        }
    }
}
