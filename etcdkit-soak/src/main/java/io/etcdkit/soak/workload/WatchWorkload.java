package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.soak.WriteErrors;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Watches and subscriptions: one writer puts sequence-numbered unique values on {@value #KEYS} keys (so the
 * store stays small while every value is distinct); {@value #SUBSCRIBERS} snapshot-then-watch subscriptions, each
 * on its own client, receive them through kills, pauses, partitions and compactions (a compaction makes them
 * re-sync). Each subscriber is judged by its own {@link WatchDeliveryChecker}: nothing lost, duplicated, out of
 * order or invented, and its view equals the store at the end.
 */
public final class WatchWorkload extends AbstractWorkload {
    static final int KEYS = 64;
    static final int SUBSCRIBERS = 3;
    private static final String PREFIX = "soak/watch/";

    private final List<Subscriber> subscribers = new ArrayList<>();
    private EtcdClient writer;
    private long sequence;

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed
     */
    public WatchWorkload(SoakClients clients, long seed) {
        super("watches", clients, seed);
    }

    @Override
    public void start() throws Exception {
        writer = openClient();
        for (int s = 0; s < SUBSCRIBERS; s++) {
            EtcdClient c = openClient();
            Subscriber subscriber = new Subscriber("sub-" + s);
            subscriber.watcher = c.watches().subscribe(Subscribe.prefix(PREFIX), subscriber.events::add);
            subscribers.add(subscriber);
        }
        for (Subscriber s : subscribers) {
            if (!s.events.awaitSnapshot(Duration.ofSeconds(30))) {
                throw new IllegalStateException(name() + ": " + s.name + " got no snapshot within 30 s");
            }
        }
        Random random = new Random(seed);
        threads.spawn("writer", () -> {
            write();
            WorkloadThreads.pause(random.nextInt(20));
        });
    }

    private void write() {
        long seq = sequence++;
        String key = PREFIX + "k" + (seq % KEYS);
        String value = "v" + seq;
        long t0 = System.nanoTime();
        try {
            PutResult r = writer.kv().put(key, value);
            subscribers.forEach(s -> s.checker.acknowledged(key, r.revision(), WatchDeliveryChecker.Kind.PUT, value));
            log.record(t0, Outcome.OK);
        } catch (EtcdException e) {
            Outcome outcome = WriteErrors.outcomeOf(e);
            if (outcome == Outcome.UNKNOWN) {
                subscribers.forEach(s -> s.checker.unknown(key, value));
            }
            log.record(t0, outcome);
        }
    }

    /** One subscription, its events and its checker. */
    private static final class Subscriber {
        final String name;
        final SubscriberEvents events = new SubscriberEvents();
        final WatchDeliveryChecker checker = new WatchDeliveryChecker();
        Watcher watcher;

        Subscriber(String name) {
            this.name = name;
        }
    }

    @Override
    public Verdict check(Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        long to = fence(deadline);
        Map<String, String> store = new HashMap<>();
        for (KeyValue kv : Retry.untilDone(deadline, () -> writer.kv().range(Range.prefix(PREFIX).atRevision(to)))
                .kvs()) {
            store.put(kv.keyAsString(), kv.valueAsString());
        }
        long violations = 0;
        List<String> details = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        for (Subscriber s : subscribers) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!s.events.awaitRevision(to, Duration.ofNanos(left))) {
                violations++;
                details.add(s.name + " did not deliver revision " + to + " within the budget (last "
                        + s.events.maxRevision() + ")");
            }
            List<String> problems = new ArrayList<>();
            long from = s.events.feed(s.checker, problems) + 1;
            WatchDeliveryChecker.Report report = s.checker.check(from, to, store);
            violations += violations(report) + problems.size();
            summaries.add(s.name + ": " + report.summary());
            problems.forEach(p -> details.add(s.name + ": " + p));
            if (!report.isClean()) {
                details.add(s.name + ": " + report.describe(20));
            }
        }
        Throwable failure = threads.failure();
        if (failure != null) {
            violations++;
            details.add("the writer failed: " + failure);
        }
        return new Verdict(name(), "WatchDeliveryChecker", violations, String.join("; ", summaries), details);
    }

    /** Writes a fence after every other write (a new value per try, each failed try recorded as unknown). */
    private long fence(long deadline) throws InterruptedException {
        String key = PREFIX + "~fence";
        for (int attempt = 0; ; attempt++) {
            String value = "fence-" + attempt;
            try {
                long revision = writer.kv().put(key, value).revision();
                subscribers.forEach(s -> s.checker.acknowledged(key, revision, WatchDeliveryChecker.Kind.PUT, value));
                return revision;
            } catch (EtcdException e) {
                subscribers.forEach(s -> s.checker.unknown(key, value));
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    void closeRecipes() {
        for (Subscriber s : subscribers) {
            if (s.watcher != null) {
                s.watcher.close();
            }
        }
    }
}
