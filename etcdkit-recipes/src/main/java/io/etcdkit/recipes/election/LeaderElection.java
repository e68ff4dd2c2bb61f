package io.etcdkit.recipes.election;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.internal.LocalPermit;
import io.etcdkit.recipes.internal.ObservedHold;
import io.etcdkit.recipes.internal.PredecessorWaiter;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Leader election: candidates queue by arrival; the first one leads until it resigns or its session ends, then the
 * next one takes over. Each candidate watches only its predecessor.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.of(session, "services/scheduler");
 * try (Leadership lead = election.campaign("10.0.0.7:8080")) {   // blocks until leader
 *     client.kv().commit(Transaction.when(lead.guard()).then(Put.of("scheduler/plan", plan)));
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> A candidate's key is {@code name/<lease id in hex>} holding its value, attached to the session's
 * lease: the layout of etcd's Go concurrency package, so Java candidates, {@code etcdctl elect name value} and Go
 * services take part in the same election, and {@code etcdctl elect -l name} observes it.
 *
 * <p><b>Contract.</b> {@link #campaign} blocks until leader and fails with {@link SessionExpiredException} if the
 * session ends while waiting (the candidacy is then gone). After waiting, the candidacy is re-checked. Proclaim and
 * resign are revision-checked transactions: a former leader can neither overwrite nor delete a successor's key.
 * One instance per session and name ({@link #of}); thread-safe; one campaign at a time per instance.
 *
 * <p><b>Observing.</b> The client's listener ({@link EtcdClient#listener()}) hears
 * {@code leadershipChanged(name, true)} when a campaign wins and {@code leadershipChanged(name, false)} once when
 * that leadership ends: resigned, or lost with the session.
 */
public final class LeaderElection {
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Session session;
    private final String name;
    private final Bytes prefix;
    private final LocalPermit oneCampaign = new LocalPermit();
    /** Told of won and lost leaderships; NONE inside a {@link LeaderLatch}, which reports its own view. */
    private final EtcdListener listener;
    private volatile QueueEntry leading;
    private volatile ObservedHold observed;
    private final ReentrantLock resigning = new ReentrantLock(); // not a monitor: resign() calls etcd

    private LeaderElection(Session session, String name, boolean reports) {
        this.session = session;
        this.name = name;
        this.prefix = prefixOf(name);
        this.listener = reports ? session.client().listener() : EtcdListener.NONE;
    }

    private static Bytes prefixOf(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("an election needs a non-empty name, e.g. \"services/scheduler\"");
        }
        return Bytes.of(name + "/");
    }

    /**
     * The election {@code name} for this session (one instance per session and name).
     *
     * @param session the session to hold it with
     * @param name the name
     * @return the election {@code name} for this session (one instance per session and name)
     */
    public static LeaderElection of(Session session, String name) {
        prefixOf(name);
        return session.recipe(new ElectionName(name), s -> new LeaderElection(s, name, true));
    }

    /** The election for a {@link LeaderLatch}'s own session: silent, since the latch reports leadership itself. */
    static LeaderElection forLatch(Session session, String name) {
        prefixOf(name);
        return session.recipe(new LatchElectionName(name), s -> new LeaderElection(s, name, false));
    }

    private record ElectionName(String name) {
    }

    private record LatchElectionName(String name) {
    }

    /**
     * The election's name.
     *
     * @return the election's name
     */
    public String name() {
        return name;
    }

    /**
     * Campaigns with {@code value} and blocks until this candidate leads.
     *
     * @param value the value
     * @return the leadership
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Leadership campaign(String value) throws InterruptedException {
        return campaign(value, FOREVER).orElseThrow();
    }

    /**
     * Campaigns and waits at most {@code timeout}; empty on time-out (the candidacy is then withdrawn). A candidate
     * that is already queued (same session) keeps its place, and its value is updated to {@code value}.
     *
     * @param value the value
     * @param timeout how long to wait at most
     * @return the leadership, or empty on time-out
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Optional<Leadership> campaign(String value, Duration timeout) throws InterruptedException {
        Campaign c = start(value, timeout);
        try {
            return PredecessorWaiter.await(c.result);
        } catch (InterruptedException e) {
            // the wait was cancelled: return once the candidacy is withdrawn
            Interrupts.cleanUp(() -> c.withdrawn.completeOnTimeout(null, 10, TimeUnit.SECONDS).join());
            throw e;
        }
    }

    /**
     * Asynchronous form of {@link #campaign(String)}: completes, on the client's callback executor, when this
     * candidate leads; no thread waits meanwhile. Cancelling the future withdraws the candidacy (its key is deleted;
     * a leadership won just as the cancel came is resigned). Fails with {@link SessionExpiredException} when the
     * session ends first.
     *
     * @param value the value
     * @return the leadership; cancel it to withdraw
     */
    public CompletableFuture<Leadership> campaignAsync(String value) {
        CompletableFuture<Optional<Leadership>> attempt = campaignAsync(value, FOREVER);
        CompletableFuture<Leadership> out = attempt.thenApply(Optional::orElseThrow);
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                attempt.cancel(false);
            }
        });
        return out;
    }

    /**
     * Asynchronous form of {@link #campaign(String, Duration)}: empty on time-out (the candidacy is then
     * withdrawn); cancelling the future withdraws too.
     *
     * @param value the value
     * @param timeout how long to wait at most
     * @return the leadership, or empty on time-out; cancel it to withdraw
     */
    public CompletableFuture<Optional<Leadership>> campaignAsync(String value, Duration timeout) {
        return start(value, timeout).result;
    }

    private Campaign start(String value, Duration timeout) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timeout, "timeout");
        return new Campaign(session, name, prefix, Bytes.of(value), oneCampaign,
                System.nanoTime() + timeout.toNanos(), this::proclaimAsync, this::won).start();
    }

    /** Records a won campaign: the permit is now the leadership's, released when it resigns. */
    private Leadership won(QueueEntry mine) {
        leading = mine;
        if (listener != EtcdListener.NONE) {
            listener.leadershipChanged(name, true);
            observed = ObservedHold.begin(session, nanos -> listener.leadershipChanged(name, false));
        }
        return new Lead(mine);
    }

    /** Asynchronous form of {@link #proclaimOn}: retried while the outcome is unknown (it is idempotent). */
    private CompletableFuture<QueueEntry> proclaimAsync(QueueEntry entry, Bytes value) {
        Transaction txn = Transaction.when(entry.guard())
                .then(Put.of(entry.key(), value).lease(session.leaseId()));
        return proclaimAsync(entry, value, txn, 5);
    }

    private CompletableFuture<QueueEntry> proclaimAsync(QueueEntry entry, Bytes value, Transaction txn, int left) {
        return session.client().kv().commitAsync(txn).handle((r, e) -> {
            Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (c instanceof OutcomeUnknownException && left > 1) {
                return proclaimAsync(entry, value, txn, left - 1);
            }
            if (c != null) {
                return CompletableFuture.<QueueEntry>failedFuture(c);
            }
            if (!r.succeeded()) {
                return CompletableFuture.<QueueEntry>failedFuture(new NotLeaderException("election '" + name
                        + "': this candidacy (revision " + entry.createRevision() + ") no longer exists; campaign "
                        + "again"));
            }
            return CompletableFuture.completedFuture(new QueueEntry(entry.key(), entry.createRevision(), value,
                    entry.head()));
        }).thenCompose(f -> f);
    }

    private QueueEntry proclaimOn(QueueEntry entry, Bytes value) {
        Transaction txn = Transaction.when(entry.guard())
                .then(Put.of(entry.key(), value).lease(session.leaseId()));
        for (int i = 0; ; i++) {
            try {
                if (!session.client().kv().commit(txn).succeeded()) {
                    throw new NotLeaderException("election '" + name + "': this candidacy (revision "
                            + entry.createRevision() + ") no longer exists; campaign again");
                }
                return new QueueEntry(entry.key(), entry.createRevision(), value, entry.head());
            } catch (OutcomeUnknownException e) {
                if (i >= 4) {
                    throw e;
                }
                // putting the same value under the same guard is idempotent: try again
            }
        }
    }

    /**
     * Whether this candidate currently leads (as far as its session knows).
     *
     * @return whether this candidate currently leads (as far as its session knows)
     */
    public boolean isLeader() {
        return leading != null && !session.state().isTerminal();
    }

    /**
     * The current leader of this election, if any (a linearizable read).
     *
     * @return the current leader of this election, if any (a linearizable read)
     */
    public Optional<Leader> leader() {
        return currentLeader(session.client(), name);
    }

    /**
     * Asynchronous form of {@link #leader()}.
     *
     * @return the current leader of this election, if any (a linearizable read)
     */
    public CompletableFuture<Optional<Leader>> leaderAsync() {
        return currentLeaderAsync(session.client(), name);
    }

    /**
     * The current leader of election {@code name}, if any.
     *
     * @param client the client to use
     * @param name the name
     * @return the current leader of election {@code name}, if any
     */
    public static Optional<Leader> currentLeader(EtcdClient client, String name) {
        return client.kv().range(leaderRead(name)).first().map(LeaderElection::toLeader);
    }

    /**
     * Asynchronous form of {@link #currentLeader(EtcdClient, String)}.
     *
     * @param client the client
     * @param name the election's name
     * @return the current leader, empty when there is none
     */
    public static CompletableFuture<Optional<Leader>> currentLeaderAsync(EtcdClient client,
            String name) {
        return client.kv().rangeAsync(leaderRead(name)).thenApply(r -> r.first().map(LeaderElection::toLeader));
    }

    private static Range leaderRead(String name) {
        return Range.prefix(prefixOf(name)).sortBy(SortTarget.CREATE_REVISION, SortOrder.ASCEND).limit(1);
    }

    static Leader toLeader(KeyValue kv) {
        return new Leader(kv.key(), kv.value(), kv.createRevision(), kv.lease());
    }

    static Bytes prefixFor(String name) {
        return prefixOf(name);
    }

    private final class Lead implements Leadership {
        private volatile QueueEntry entry;

        Lead(QueueEntry entry) {
            this.entry = entry;
        }

        @Override
        public Leader leader() {
            QueueEntry e = entry;
            return new Leader(e.key(), e.value(), e.createRevision(), session.leaseId());
        }

        @Override
        public long epoch() {
            return entry.createRevision();
        }

        @Override
        public Compare guard() {
            return entry.guard();
        }

        @Override
        public void proclaim(String value) {
            QueueEntry e = entry;
            if (leading != e) {
                throw new NotLeaderException("election '" + name + "': this leadership has ended (resigned); "
                        + "campaign again");
            }
            QueueEntry updated = proclaimOn(e, Bytes.of(value));
            entry = updated;
            leading = updated;
        }

        @Override
        public CompletableFuture<Void> proclaimAsync(String value) {
            Objects.requireNonNull(value, "value");
            QueueEntry e = entry;
            if (leading != e) {
                return CompletableFuture.failedFuture(new NotLeaderException("election '" + name + "': this "
                        + "leadership has ended (resigned); campaign again"));
            }
            return LeaderElection.this.proclaimAsync(e, Bytes.of(value)).thenApply(updated -> {
                entry = updated;
                leading = updated;
                return null;
            });
        }

        @Override
        public CompletableFuture<Void> resignAsync() {
            QueueEntry e = entry;
            QueueEntry now = leading;
            if (now == null || now.createRevision() != e.createRevision()) {
                return CompletableFuture.completedFuture(null);
            }
            return e.leaveAsync(session).thenApply(v -> {
                resigning.lock(); // held only for the bookkeeping, never across a call
                try {
                    ended(e);
                } finally {
                    resigning.unlock();
                }
                return null;
            });
        }

        /** The leadership of {@code e} was given up: record it once. Under {@code resigning}. */
        private void ended(QueueEntry e) {
            if (leading == null || leading.createRevision() != e.createRevision()) {
                return;
            }
            leading = null;
            ObservedHold o = observed;
            if (o != null) {
                observed = null;
                o.end();
            }
            oneCampaign.release();
        }

        @Override
        public void resign() {
            QueueEntry e = entry;
            resigning.lock();
            try {
                if (leading == null || leading.createRevision() != e.createRevision()) {
                    return;
                }
                e.leave(session);
                ended(e);
            } finally {
                resigning.unlock();
            }
        }

        @Override
        public void close() {
            resign();
        }
    }
}
