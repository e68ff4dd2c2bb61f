package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.lock.Permit;
import io.etcdkit.recipes.lock.Semaphore;
import io.etcdkit.recipes.session.Session;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A distributed counting semaphore: at most 2 sessions hold a permit of {@code examples/limits/downloads} at once;
 * a third waits (here: gives up at once) until one is released. One permit per session: for more holders in one
 * process, open more sessions.
 */
public final class SemaphoreExample {
    static final String NAME = "examples/limits/downloads";

    private SemaphoreExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(NAME + "/"); // the stored limit: a fresh start for the example
            List<Session> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    sessions.add(Session.open(client, Duration.ofSeconds(10)));
                }
                Semaphore first = Semaphore.of(sessions.get(0), NAME, 2);
                Semaphore second = Semaphore.of(sessions.get(1), NAME, 2);
                Semaphore third = Semaphore.of(sessions.get(2), NAME, 2);

                Permit p1 = first.acquire();
                Permit p2 = second.acquire();
                out.println("two permits held, tokens grow: " + (p2.fencingToken() > p1.fencingToken()));
                out.println("available now: " + first.availablePermits());
                Optional<Permit> none = third.tryAcquire();
                out.println("third tryAcquire: " + (none.isPresent() ? "acquired" : "no permit free"));

                p1.close(); // releases the permit
                try (Permit p3 = third.tryAcquire(Duration.ofSeconds(10)).orElseThrow()) {
                    out.println("third acquired after a release, token " + (p3.fencingToken() > p2.fencingToken()
                            ? "greater than" : "not greater than") + " the others");
                }
                p2.close();
                out.println("available at the end: " + first.availablePermits());
            } finally {
                sessions.forEach(Session::close);
            }
            client.kv().deletePrefix(NAME + "/");
        }
    }
}
