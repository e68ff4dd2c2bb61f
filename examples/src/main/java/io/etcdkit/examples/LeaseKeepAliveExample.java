package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.LeaseInfo;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Leases and sessions: a key attached to a kept-alive lease, the lease's states as a listener hears them, and a
 * revoke (or a session's close) that deletes the key at once. Uses the prefix {@code examples/lease/}.
 */
public final class LeaseKeepAliveExample {
    static final String PREFIX = "examples/lease/";

    private LeaseKeepAliveExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            BlockingQueue<LeaseState> states = new LinkedBlockingQueue<>();
            KeepAlive lease = client.leases().grantAndKeepAlive(Duration.ofSeconds(5));
            lease.addListener(change -> states.add(change.current())); // first call: the current state
            out.println("lease state: " + next(states) + ", TTL " + lease.ttl().toSeconds() + " s");

            client.kv().put(Put.of(PREFIX + "worker-1", "busy").lease(lease.id()));
            LeaseInfo info = client.leases().timeToLiveWithKeys(lease.id());
            out.println("keys on the lease: " + info.keys());

            lease.revoke(); // the key is deleted at once
            out.println("lease state: " + next(states));
            out.println("worker-1 exists after revoke: " + client.kv().exists(PREFIX + "worker-1"));

            // A session is a kept-alive lease with states for recipes; close() revokes it.
            BlockingQueue<SessionState> sessionStates = new LinkedBlockingQueue<>();
            Session session = Session.open(client, Duration.ofSeconds(5));
            session.addListener((was, now, why) -> sessionStates.add(now));
            out.println("session state: " + sessionStates.poll(10, TimeUnit.SECONDS));
            client.kv().put(Put.of(PREFIX + "worker-2", "busy").lease(session.leaseId()));
            session.close();
            out.println("session state: " + sessionStates.poll(10, TimeUnit.SECONDS));
            out.println("worker-2 exists after close: " + client.kv().exists(PREFIX + "worker-2"));
        }
    }

    private static LeaseState next(BlockingQueue<LeaseState> states) throws InterruptedException {
        LeaseState state = states.poll(10, TimeUnit.SECONDS);
        if (state == null) {
            throw new IllegalStateException("the lease reported no state within 10 s");
        }
        return state;
    }
}
