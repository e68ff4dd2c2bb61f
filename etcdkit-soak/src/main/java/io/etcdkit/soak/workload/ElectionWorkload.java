package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.recipes.election.ElectionEvent;
import io.etcdkit.recipes.election.ElectionObserver;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.testing.check.ElectionChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Elections: {@value #CAMPAIGNERS} campaigners, each on its own client and session (TTL 5 s), campaign with a
 * unique value, lead for a moment and resign; {@value #OBSERVERS} {@link ElectionObserver}s on their own clients
 * report what they see. Every report, and every campaigner's own belief that it won, goes to an
 * {@link ElectionChecker}: at most one leader per term (the leader key's create revision), no observer told the
 * same thing twice in a row or a term going backwards.
 */
public final class ElectionWorkload extends AbstractWorkload {
    static final int CAMPAIGNERS = 3;
    static final int OBSERVERS = 2;
    static final Duration TTL = Duration.ofSeconds(5);
    private static final String ELECTION = "soak/election";

    private final ElectionChecker checker = new ElectionChecker();
    private final List<ElectionObserver> observers = new ArrayList<>();

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed
     */
    public ElectionWorkload(SoakClients clients, long seed) {
        super("elections", clients, seed);
    }

    @Override
    public void start() {
        for (int o = 0; o < OBSERVERS; o++) {
            EtcdClient c = openClient();
            String name = "observer-" + o;
            observers.add(ElectionObserver.open(c, ELECTION, event -> {
                if (event instanceof ElectionEvent.LeaderElected e) {
                    checker.observed(name, Optional.of(e.leader().valueAsString()), e.leader().revision());
                } else if (event instanceof ElectionEvent.NoLeader) {
                    checker.observed(name, Optional.empty(), 0);
                }
            }));
        }
        for (int i = 0; i < CAMPAIGNERS; i++) {
            Campaigner campaigner = new Campaigner("campaigner-" + i, openClient(), new Random(seed + i));
            threads.spawn(campaigner.name, campaigner::round);
        }
    }

    /** Campaigns, leads for up to half a second, resigns; a new session whenever the last one ended. */
    private final class Campaigner {
        final String name;
        final Random random;
        final SessionKeeper session;
        int round;

        Campaigner(String name, EtcdClient client, Random random) {
            this.name = name;
            this.random = random;
            this.session = new SessionKeeper(client, TTL);
        }

        void round() throws InterruptedException {
            long t0 = System.nanoTime();
            try {
                String value = name + "-" + round++;
                Optional<Leadership> won = LeaderElection.of(session.current(), ELECTION)
                        .campaign(value, Duration.ofSeconds(10));
                if (won.isEmpty()) {
                    log.record(t0, Outcome.FAILED);
                    return;
                }
                Leadership leadership = won.get();
                checker.observed(name, Optional.of(value), leadership.epoch());
                log.record(t0, Outcome.OK);
                WorkloadThreads.pause(100 + random.nextInt(400));
                resign(leadership, session);
            } catch (EtcdException e) {
                log.record(t0, Outcome.FAILED);
                WorkloadThreads.pause(100);
            }
        }
    }

    /**
     * Resigns, again and again while etcd cannot be reached: a resign that throws leaves the leadership held (its
     * key stays with the session, and the election instance of this session takes no new campaign), so giving up
     * after one failed try would stall the whole election until the session ends.
     */
    private void resign(Leadership leadership, SessionKeeper session) {
        while (true) {
            try {
                leadership.resign();
                return;
            } catch (EtcdException e) {
                if (session.ended() || threads.stopping()) {
                    return; // the lease is gone (and the key with it), or the run is over
                }
                WorkloadThreads.pause(100);
            }
        }
    }

    @Override
    public Verdict check(Duration budget) {
        ElectionChecker.Report report = checker.check();
        List<String> details = new ArrayList<>();
        long violations = describe(report, threads, details);
        return new Verdict(name(), "ElectionChecker", violations, report.summary(), details);
    }

    @Override
    void closeRecipes() {
        observers.forEach(ElectionObserver::close);
    }
}
