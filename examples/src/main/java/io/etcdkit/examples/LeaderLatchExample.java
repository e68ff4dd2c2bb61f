package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.election.LeaderLatch;
import io.etcdkit.recipes.election.LeaderLatchListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two processes (here two latches) keep campaigning in one election; each is told {@code isLeader(epoch)} when it
 * leads and {@code notLeader(epoch)} when it must stop. Closing the leading latch hands leadership to the other.
 * Uses the election {@code examples/election/latch}.
 */
public final class LeaderLatchExample {
    static final String ELECTION = "examples/election/latch";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private LeaderLatchExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        BlockingQueue<String> told1 = new LinkedBlockingQueue<>();
        BlockingQueue<String> told2 = new LinkedBlockingQueue<>();
        try (EtcdClient client = ExampleClient.connect(args)) {
            LeaderLatch worker1 = LeaderLatch.open(client, ELECTION, "worker-1", Duration.ofSeconds(5),
                    reporter("worker-1", told1));
            out.println(next(told1));
            try (LeaderLatch worker2 = LeaderLatch.open(client, ELECTION, "worker-2", Duration.ofSeconds(5),
                    reporter("worker-2", told2))) {
                out.println("worker-1 leads: " + worker1.isLeader() + ", worker-2 leads: " + worker2.isLeader());
                worker1.close(); // resigns: worker-2 takes over
                out.println(next(told1));
                out.println(next(told2));
                out.println("worker-2's epoch is greater: " + (worker2.epoch() > worker1.epoch()));
            }
            out.println(next(told2));
        }
    }

    private static LeaderLatchListener reporter(String name, BlockingQueue<String> changes) {
        return new LeaderLatchListener() {
            @Override
            public void isLeader(long epoch) {
                changes.add(name + ": isLeader");
            }

            @Override
            public void notLeader(long epoch) {
                changes.add(name + ": notLeader");
            }
        };
    }

    private static String next(BlockingQueue<String> changes) throws InterruptedException {
        String change = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (change == null) {
            throw new IllegalStateException("no leadership change within " + WAIT);
        }
        return change;
    }
}
