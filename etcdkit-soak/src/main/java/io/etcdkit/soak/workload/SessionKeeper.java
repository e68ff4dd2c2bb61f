package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;

/**
 * One worker's session, opened again whenever the last one ended (expired under a fault, or its lease revoked by
 * the nemesis). Used by one thread.
 */
final class SessionKeeper {
    private final EtcdClient client;
    private final Duration ttl;
    private Session session;

    SessionKeeper(EtcdClient client, Duration ttl) {
        this.client = client;
        this.ttl = ttl;
    }

    /** The current session, a new one if the last has ended. */
    Session current() {
        if (session == null || session.state().isTerminal()) {
            if (session != null) {
                session.close();
            }
            session = Session.open(client, ttl);
        }
        return session;
    }

    /** Whether the current session has ended (a lock or leadership held through it is lost). */
    boolean ended() {
        return session == null || session.state().isTerminal();
    }
}
