package io.etcdkit.recipes.election;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process in an election for as long as the latch is open, and tells a listener when it leads and when
 * it must stop: the latch campaigns on its own session, reports {@code isLeader(epoch)}, watches the session, reports
 * {@code notLeader(epoch)} as soon as the session is suspended or ends, and campaigns again with a fresh session after
 * an expiry.
 *
 * <pre>{@code
 * LeaderLatch latch = LeaderLatch.start(client, "services/scheduler", "10.0.0.7:8080", Duration.ofSeconds(10),
 *         new LeaderLatchListener() {
 *             public void isLeader(long epoch) { scheduler.start(epoch); }
 *             public void notLeader(long epoch) { scheduler.stop(); }
 *         });
 * }</pre>
 *
 * <p>Listener calls run one at a time on the latch's own thread (never a client thread), so a listener may block
 * briefly without stalling the client. {@link #close()} resigns, ends the session and reports {@code notLeader}
 * if leading. While the cluster is unreachable the latch keeps trying to open a session (with back-off) until
 * closed. Thread-safe.
 */
public final class LeaderLatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLatch.class);

    private final EtcdClient client;
    private final String name;
    private final String value;
    private final Duration ttl;
    private final LeaderLatchListener listener;
    private final ExecutorService callbacks;
    private final Thread campaigner;
    private final LinkedBlockingQueue<SessionState> sessionChanges = new LinkedBlockingQueue<>();
    private final AtomicLong currentEpoch = new AtomicLong();
    private volatile boolean leading;
    private volatile boolean closed;

    private LeaderLatch(EtcdClient client, String name, String value, Duration ttl, LeaderLatchListener listener) {
        this.client = client;
        this.name = name;
        this.value = value;
        this.ttl = ttl;
        this.listener = listener;
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "etcdkit-latch-" + name);
            t.setDaemon(true);
            return t;
        });
        this.campaigner = new Thread(this::campaignLoop, "etcdkit-latch-campaign-" + name);
        this.campaigner.setDaemon(true);
    }

    /**
     * Starts campaigning in election {@code name} with {@code value}, on sessions of {@code ttl}.
     *
     * @param client the client to use
     * @param name the name
     * @param value the value
     * @param ttl the time to live
     * @param listener the listener to call
     * @return a {@code LeaderLatch} that starts campaigning in election {@code name} with {@code value}, on sessions of {@code ttl}
     */
    public static LeaderLatch start(EtcdClient client, String name, String value, Duration ttl,
            LeaderLatchListener listener) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listener, "listener");
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("a latch needs a non-empty election name");
        }
        LeaderLatch latch = new LeaderLatch(client, name, value == null ? "" : value, ttl, listener);
        latch.campaigner.start();
        return latch;
    }

    /**
     * Whether this process currently leads (between {@code isLeader} and {@code notLeader}).
     *
     * @return whether this process currently leads (between {@code isLeader} and {@code notLeader})
     */
    public boolean isLeader() {
        return leading;
    }

    /**
     * The epoch of the current or last leadership, 0 before the first.
     *
     * @return the epoch of the current or last leadership, 0 before the first
     */
    public long epoch() {
        return currentEpoch.get();
    }

    private void campaignLoop() {
        long backoffMs = 100;
        while (!closed) {
            Session session;
            try {
                session = Session.open(client, ttl);
            } catch (RuntimeException e) {
                LOG.warn("latch '{}': cannot open a session ({}); retrying", name, e.getMessage());
                sleepQuietly(backoffMs);
                backoffMs = Math.min(5000, backoffMs * 2);
                continue;
            }
            backoffMs = 100;
            sessionChanges.clear();
            session.addListener((was, now, why) -> sessionChanges.add(now));
            try {
                Leadership lead = LeaderElection.of(session, name).campaign(value);
                follow(session, lead);
            } catch (InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.info("latch '{}': campaign ended ({}); campaigning again", name, e.getMessage());
                }
            } finally {
                if (leading) {
                    report(false);
                }
                Interrupts.cleanUp(session::close); // revoke even when closing interrupted us

            }
        }
    }

    /** Leads until the session ends or the latch closes; reports suspensions. */
    private void follow(Session session, Leadership lead) throws InterruptedException {
        currentEpoch.set(lead.epoch());
        report(true);
        while (!closed) {
            SessionState s = sessionChanges.poll(1, TimeUnit.SECONDS);
            if (s == null) {
                continue;
            }
            if (s == SessionState.SUSPENDED && leading) {
                report(false);
            } else if (s == SessionState.CONNECTED && !leading) {
                boolean stillOurs;
                try {
                    stillOurs = session.client().kv().commit(Transaction.when(lead.guard())).succeeded();
                } catch (RuntimeException e) {
                    stillOurs = false;
                }
                if (stillOurs) {
                    report(true);
                }
            } else if (s.isTerminal()) {
                return;
            }
        }
        lead.resign();
    }

    private void report(boolean nowLeading) {
        leading = nowLeading;
        long epoch = currentEpoch.get();
        callbacks.execute(() -> {
            try {
                if (nowLeading) {
                    listener.isLeader(epoch);
                } else {
                    listener.notLeader(epoch);
                }
            } catch (RuntimeException e) {
                LOG.warn("latch '{}': the listener threw", name, e);
            }
        });
    }

    private void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resigns, ends the session, reports {@code notLeader} if leading, and stops. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        campaigner.interrupt();
        try {
            campaigner.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
