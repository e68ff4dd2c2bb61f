package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.workqueue.Added;
import io.etcdkit.recipes.workqueue.Claim;
import io.etcdkit.recipes.workqueue.DeadLetter;
import io.etcdkit.recipes.workqueue.ItemView;
import io.etcdkit.recipes.workqueue.NewItem;
import io.etcdkit.recipes.workqueue.QueueStats;
import io.etcdkit.recipes.workqueue.WorkConsumer;
import io.etcdkit.recipes.workqueue.WorkQueue;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.testing.check.WorkQueueChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work queue: {@value #PRODUCERS} producers add items (every 50th a poison item that always fails and must end
 * as a dead letter), {@value #CONSUMERS} consumers, each on its own client and session (TTL 5 s), claim in small
 * batches and acknowledge. After the faults heal the producers stop and the queue must drain. An add whose outcome
 * is unknown is remembered by its payload and counted as added if a consumer (or the dead letters, or the queue)
 * shows it. Judged by {@link WorkQueueChecker}: no item lost, none acknowledged twice, no stale acknowledgement.
 */
public final class WorkQueueWorkload extends AbstractWorkload {
    static final int PRODUCERS = 2;
    static final int CONSUMERS = 3;
    static final int MAX_ATTEMPTS = 3;
    static final Duration TTL = Duration.ofSeconds(5);
    private static final String QUEUE = "soak-queue";

    /** The producers are the base's {@code threads}; the consumers go on until the queue has drained. */
    private final WorkloadThreads consumers = new WorkloadThreads("work-queue-consumers");
    private final WorkQueueChecker checker = new WorkQueueChecker(MAX_ATTEMPTS);
    private final List<WorkQueue> queues = new ArrayList<>();
    /** Adds whose outcome is unknown: payload to producer and sequence. */
    private final Map<String, UnknownAdd> unknownAdds = new ConcurrentHashMap<>();
    /** Every claimed item's payload, by id. */
    private final Map<String, String> claimedPayloads = new ConcurrentHashMap<>();
    private final Set<String> addedIds = ConcurrentHashMap.newKeySet();
    private WorkQueue adminQueue;

    private record UnknownAdd(String producer, long sequence) {
    }

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed
     */
    public WorkQueueWorkload(SoakClients clients, long seed) {
        super("work-queue", clients, seed);
    }

    @Override
    public void start() {
        adminQueue = queue(openClient());
        for (int p = 0; p < PRODUCERS; p++) {
            WorkQueue queue = queue(openClient());
            String producer = "producer-" + p;
            Random random = new Random(seed + p);
            long[] sequence = {0};
            threads.spawn(producer, () -> {
                add(queue, producer, sequence[0]++);
                WorkloadThreads.pause(20 + random.nextInt(40));
            });
        }
        for (int c = 0; c < CONSUMERS; c++) {
            EtcdClient client = openClient();
            Consumer consumer = new Consumer("consumer-" + c, queue(client), new SessionKeeper(client, TTL));
            consumers.spawn(consumer.name, consumer::step);
        }
    }

    private WorkQueue queue(EtcdClient client) {
        WorkQueue queue = WorkQueue.of(client, QUEUE).maxAttempts(MAX_ATTEMPTS);
        queues.add(queue);
        return queue;
    }

    private void add(WorkQueue queue, String producer, long sequence) {
        String payload = (sequence % 50 == 49 ? "poison-" : "job-") + producer + "-" + sequence;
        long t0 = System.nanoTime();
        try {
            Added added = queue.add(NewItem.of(payload));
            checker.added(added.id(), producer, 0, sequence);
            addedIds.add(added.id());
            log.record(t0, Outcome.OK);
        } catch (EtcdUnavailableException e) {
            log.record(t0, Outcome.FAILED); // refused before it was written
        } catch (EtcdException e) {
            unknownAdds.put(payload, new UnknownAdd(producer, sequence));
            log.record(t0, Outcome.UNKNOWN);
        }
    }

    /** Claims up to 8 items, fails the poison ones, acknowledges the rest; a new session when the last ended. */
    private final class Consumer {
        final String name;
        final WorkQueue queue;
        final SessionKeeper sessions;
        Session session;
        WorkConsumer consumer;

        Consumer(String name, WorkQueue queue, SessionKeeper sessions) {
            this.name = name;
            this.queue = queue;
            this.sessions = sessions;
        }

        void step() throws InterruptedException {
            try {
                if (consumer == null || sessions.ended()) {
                    session = sessions.current();
                    consumer = queue.openConsumer(session);
                }
                List<Claim> claims = consumer.claimBatch(8, Duration.ofMillis(300));
                for (Claim claim : claims) {
                    claimedPayloads.put(claim.id(), claim.payloadAsString());
                    checker.claimed(claim.id(), name, claim.token());
                }
                settle(claims);
            } catch (EtcdException e) {
                WorkloadThreads.pause(100); // no leader, session expired: try again
            }
        }

        void settle(List<Claim> claims) {
            List<Claim> good = new ArrayList<>();
            for (Claim claim : claims) {
                if (!claim.payloadAsString().startsWith("poison")) {
                    good.add(claim);
                    continue;
                }
                try {
                    if (consumer.nack(claim, "poison")) {
                        checker.nacked(claim.id(), name, claim.token());
                    }
                } catch (EtcdException e) {
                    // unknown or refused: the claim expires or was returned; a nack needs no record
                }
            }
            if (good.isEmpty()) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                Set<Claim> acked = new HashSet<>(consumer.ackAll(good));
                for (Claim c : good) {
                    if (acked.contains(c)) {
                        checker.acked(c.id(), name, c.token());
                    }
                }
                log.record(t0, Outcome.OK);
            } catch (EtcdUnavailableException e) {
                log.record(t0, Outcome.FAILED);
            } catch (EtcdException e) {
                good.forEach(c -> checker.ackOutcomeUnknown(c.id(), name, c.token()));
                log.record(t0, Outcome.UNKNOWN);
            }
        }
    }

    @Override
    public void stop() throws InterruptedException {
        threads.stop(STOP_WAIT); // the producers; the consumers drain the queue in check
    }

    @Override
    public Verdict check(Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> details = new ArrayList<>();
        long violations = 0;
        long items = -1;
        while (System.nanoTime() - deadline < 0) {
            try {
                items = adminQueue.stats().items();
                if (items == 0) {
                    break;
                }
            } catch (EtcdException e) {
                // ask again
            }
            Thread.sleep(200);
        }
        if (items != 0) {
            violations++;
            details.add("the queue did not drain within the budget: " + items + " items left; " + leftOver(deadline));
        }
        consumers.stop(STOP_WAIT);
        List<DeadLetter> dead = Retry.untilDone(deadline, () -> adminQueue.deadLetters(0));
        List<ItemView> left = Retry.untilDone(deadline, () -> adminQueue.items(0));
        Map<String, String> payloads = new ConcurrentHashMap<>(claimedPayloads);
        dead.forEach(d -> payloads.put(d.id(), d.payload().toStringUtf8()));
        left.forEach(i -> payloads.put(i.id(), i.payload().toStringUtf8()));
        long unknownApplied = 0;
        for (Map.Entry<String, String> e : payloads.entrySet()) {
            UnknownAdd unknown = unknownAdds.get(e.getValue());
            if (unknown != null && addedIds.add(e.getKey())) {
                checker.added(e.getKey(), unknown.producer(), 0, unknown.sequence());
                unknownApplied++;
            }
        }
        dead.forEach(d -> checker.deadLetter(d.id(), d.attempts()));
        left.forEach(i -> checker.leftInQueue(i.id()));
        WorkQueueChecker.Report report = checker.check();
        violations += describe(report, threads, details);
        if (consumers.failure() != null) {
            violations++;
            details.add("a consumer failed: " + consumers.failure());
        }
        return new Verdict(name(), "WorkQueueChecker", violations, report.summary() + "; " + unknownAdds.size()
                + " adds with unknown outcome (" + unknownApplied + " seen applied)", details);
    }

    /**
     * What the items left in a queue that should have drained look like: the counts (orphaned = claim expired and
     * never returned) and each item; then whether a sweep for expired claims returns them.
     */
    private String leftOver(long deadline) {
        try {
            QueueStats stats = adminQueue.stats();
            StringBuilder text = new StringBuilder(stats + ", orphaned " + stats.orphaned() + ";");
            for (ItemView item : adminQueue.items(0)) {
                text.append(" item ").append(item.id()).append(" '").append(item.payload().toStringUtf8())
                        .append("' claimed ").append(item.claimed()).append(" attempts ").append(item.attempts())
                        .append(" last error '").append(item.lastError()).append("';");
            }
            text.append(" a sweep for expired claims (recoverExpiredClaims) returned ")
                    .append(Retry.untilDone(deadline + 10_000_000_000L, adminQueue::recoverExpiredClaims))
                    .append(" item(s)");
            return text.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while describing them";
        } catch (RuntimeException e) {
            return "could not describe them: " + e;
        }
    }

    @Override
    void closeRecipes() {
        try {
            consumers.stop(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queues.forEach(WorkQueue::close);
    }
}
