package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.election.ElectionEvent;
import io.etcdkit.recipes.election.ElectionObserver;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.session.Session;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Leader election with an observer: node-1 wins, node-2 queues behind it, node-1 proclaims a new value and
 * resigns, node-2 takes over. The observer reports each leadership once, a proclaimed value, and "no leader".
 * Uses the election {@code examples/election/scheduler}.
 */
public final class LeaderElectionExample {
    static final String ELECTION = "examples/election/scheduler";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LeaderElectionExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        BlockingQueue<ElectionEvent> observed = new LinkedBlockingQueue<>();
        try (EtcdClient client = ExampleClient.connect(args);
             ElectionObserver observer = ElectionObserver.open(client, ELECTION, observed::add);
             Session node1 = Session.open(client, Duration.ofSeconds(10));
             Session node2 = Session.open(client, Duration.ofSeconds(10))) {
            out.println("observer: " + describe(next(observed)));

            Leadership first = LeaderElection.of(node1, ELECTION).campaign("node-1");
            out.println("node-1 leads with epoch " + first.epoch());
            out.println("observer: " + describe(next(observed)));

            // node-2 campaigns in the background: it blocks until node-1 is gone.
            CompletableFuture<Leadership> second = CompletableFuture.supplyAsync(() -> campaign(node2, "node-2"));
            awaitCandidates(client, 2);
            out.println("node-2 is queued; still leading: "
                    + LeaderElection.currentLeader(client, ELECTION).orElseThrow().valueAsString());

            first.proclaim("node-1 (v2)");
            out.println("observer: " + describe(next(observed)));

            first.resign();
            Leadership next = second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            out.println("node-2 leads with epoch " + next.epoch() + " (greater: " + (next.epoch() > first.epoch())
                    + ")");
            out.println("observer: " + describe(next(observed)));

            next.resign();
            out.println("observer: " + describe(next(observed)));
        }
    }

    private static Leadership campaign(Session session, String value) {
        try {
            return LeaderElection.of(session, ELECTION).campaign(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while campaigning", e);
        }
    }

    private static void awaitCandidates(EtcdClient client, long candidates) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client.kv().count(Range.prefix(ELECTION + "/")) < candidates) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the candidates did not queue within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static ElectionEvent next(BlockingQueue<ElectionEvent> events) throws InterruptedException {
        ElectionEvent event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event == null) {
            throw new IllegalStateException("the observer reported nothing within " + WAIT);
        }
        return event;
    }

    static String describe(ElectionEvent event) {
        if (event instanceof ElectionEvent.LeaderElected e) {
            return "elected " + e.leader().valueAsString();
        } else if (event instanceof ElectionEvent.LeaderProclaimed p) {
            return "proclaimed " + p.leader().valueAsString();
        }
        return "no leader";
    }
}
