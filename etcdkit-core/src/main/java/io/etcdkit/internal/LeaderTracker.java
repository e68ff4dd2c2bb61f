package io.etcdkit.internal;

import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ClientCall;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which member leads, so that writes go to it directly instead of being forwarded by a follower.
 *
 * <p>The leader is learnt from {@code Status} answers (each names the answering member's id in its header, the
 * leader's id and the raft term), probed with a 500 ms deadline on every member at once: on the first write, after
 * a "no leader" / "leader changed" answer, and when the leader is lost. When the leader's connection breaks (or it
 * times out) writes wait until a new leader is known: rounds of probes every 150 ms accept a leader only when it
 * is another member or a newer term, or the old leader answers again; after 3 s writes go round-robin
 * (followers then forward them, or refuse with "no leader", which is retried safely): a leader the probes
 * cannot find, for example on a machine so loaded that they time out, never holds writes for a whole deadline. A write
 * outstanding on the leader for over 1 s starts probe rounds too; when another member names a newer leader, the
 * writes stuck on the old one are cancelled (they fail as outcome-unknown) and the old leader is out of rotation
 * until a probe answers.
 *
 * <p>With a single endpoint nothing is tracked. When the leader's id is none of the configured members (a proxy
 * or load balancer, or endpoints missing) writes go round-robin as before; this is logged once.
 */
final class LeaderTracker {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderTracker.class);
    private static final long PROBE_DEADLINE_NANOS = 500_000_000L;
    private static final long ELECTION_ROUND_NANOS = 150_000_000L;
    /** The longest writes wait for a new leader before going round-robin. */
    static final long ELECTION_CAP_NANOS = 3_000_000_000L;
    private static final long STUCK_NANOS = 1_000_000_000L;
    private static final long SCAN_NANOS = 250_000_000L;
    private static final long RELEARN_NANOS = 1_000_000_000L;
    private static final long RELEARN_UNMAPPED_NANOS = 30_000_000_000L;

    private enum Mode { LEARN, ELECTION, CHECK }

    /** One member's answer to a probe: its own id, the leader it knows (0: none) and its term. */
    private record Answer(Member member, long memberId, long leaderId, long term) {
    }

    private record InFlight(Member member, long sentNanos) {
    }

    private final MemberPool pool;
    private final ScheduledExecutorService scheduler;
    private final Supplier<String> token;
    private final Map<Long, Member> byId = new ConcurrentHashMap<>();
    private final Map<ClientCall<?, ?>, InFlight> writesOnLeader = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    private volatile Member leader;
    private volatile CompletableFuture<Void> election;
    // Guarded by lock.
    private long leaderId;
    private long term;
    private long lostId;
    private long lostTerm;
    private long electionStartedNanos;
    private boolean roundRunning;
    private long lastLearnNanos;
    private boolean unmapped;
    private ScheduledFuture<?> scan;
    private volatile boolean closed;

    /**
     * @param pool the client's members; read anew on each probe round (endpoint auto-sync changes them)
     */
    LeaderTracker(MemberPool pool, ScheduledExecutorService scheduler, Supplier<String> token) {
        this.pool = pool;
        this.scheduler = scheduler;
        this.token = token;
        if (pool.size() == 1) {
            LOG.debug("one endpoint {}: writes go to it (no leader routing; it may be a proxy or load balancer)",
                    pool.members());
        }
    }

    /**
     * The pool's members changed (endpoint auto-sync): forgets the removed ones; when the leader is among them,
     * or the leader was unknown, the next write learns it anew.
     *
     * @param removed the members no longer in the pool
     */
    void membersChanged(List<Member> removed) {
        synchronized (lock) {
            byId.values().removeAll(removed);
            if (leader != null && removed.contains(leader)) {
                leader = null;
            }
            if (leader == null) {
                lastLearnNanos = 0;
                unmapped = false;
            }
        }
    }

    /** While writes wait for a new leader after the old one was lost: completes when known or given up; or null. */
    CompletableFuture<Void> election() {
        return election;
    }

    /** The member a write should go to: the leader when known and in rotation, else null (round-robin). */
    Member leaderForWrite(long nowNanos) {
        if (pool.size() < 2) {
            return null;
        }
        Member l = leader;
        if (l == null) {
            learnSoon(nowNanos);
            return null;
        }
        return l.isAvoided(nowNanos) ? null : l;
    }

    /** A write was sent to {@code member}; tracked while it is the leader so a frozen leader can be detected. */
    void writeSent(ClientCall<?, ?> call, Member member) {
        writesOnLeader.put(call, new InFlight(member, System.nanoTime()));
        if (scan == null) {
            startScan();
        }
    }

    void writeEnded(ClientCall<?, ?> call) {
        writesOnLeader.remove(call);
    }

    /** An attempt on {@code member} failed with {@code status}. */
    void attemptFailed(Member member, Status status) {
        if (pool.size() < 2) {
            return;
        }
        String d = FailureClassifier.description(status);
        boolean leaderAnswer = d.startsWith("etcdserver: no leader") || d.startsWith("etcdserver: leader changed")
                || d.contains("not leader");
        if (member == leader && !leaderAnswer && FailureClassifier.avoidMember(status)) {
            leaderLost(member);
        } else if (leaderAnswer) {
            synchronized (lock) {
                if (!roundRunning) {
                    lastLearnNanos = System.nanoTime();
                    startRoundLocked(election != null ? Mode.ELECTION : Mode.LEARN);
                }
            }
        }
    }

    private void learnSoon(long nowNanos) {
        synchronized (lock) {
            if (roundRunning || leader != null || closed) {
                return;
            }
            long every = unmapped ? RELEARN_UNMAPPED_NANOS : RELEARN_NANOS;
            if (lastLearnNanos != 0 && nowNanos - lastLearnNanos < every) {
                return;
            }
            lastLearnNanos = nowNanos;
            startRoundLocked(Mode.LEARN);
        }
    }

    /** The leader's connection broke or it timed out: writes wait for a new leader. */
    private void leaderLost(Member member) {
        synchronized (lock) {
            if (leader != member) {
                return;
            }
            lostId = leaderId;
            lostTerm = term;
            leader = null;
            if (election == null) {
                election = new CompletableFuture<>();
                electionStartedNanos = System.nanoTime();
            }
            if (!roundRunning) {
                startRoundLocked(Mode.ELECTION);
            }
        }
    }

    private void startRoundLocked(Mode mode) {
        if (closed) {
            return;
        }
        roundRunning = true;
        List<Member> members = pool.members();
        Round round = new Round(mode, members.size());
        String t = token.get();
        for (Member m : members) {
            StatusProbe.send(m, PROBE_DEADLINE_NANOS, t, false, (response, status) -> round.answered(m, response));
        }
    }

    /** One probe of every member. */
    private final class Round {
        private final Mode mode;
        private final List<Answer> answers = new ArrayList<>();
        private int pending;
        private boolean decided;

        Round(Mode mode, int members) {
            this.mode = mode;
            this.pending = members;
        }

        void answered(Member m, StatusResponse response) {
            synchronized (lock) {
                pending--;
                if (response != null) {
                    long id = response.getHeader().getMemberId();
                    byId.put(id, m);
                    answers.add(new Answer(m, id, response.getLeader(),
                            Math.max(response.getRaftTerm(), response.getHeader().getRaftTerm())));
                }
                if (!decided) {
                    decided = decideLocked(pending == 0);
                }
                if (pending == 0) {
                    roundRunning = false;
                    if (!decided) {
                        nothingDecidedLocked();
                    }
                }
            }
        }

        /** Adopts a leader when the answers so far allow it; true when this round has done its work. */
        private boolean decideLocked(boolean last) {
            Answer best = null;
            for (Answer a : answers) {
                if (a.leaderId() != 0 && acceptable(a) && (best == null || a.term() > best.term())) {
                    best = a;
                }
            }
            if (best == null) {
                return false;
            }
            Member m = byId.get(best.leaderId());
            if (m == null) {
                if (!last) {
                    return false; // the leader's own answer may still come
                }
                fallBackLocked(best.leaderId());
                return true;
            }
            adoptLocked(m, best.leaderId(), best.term(), mode == Mode.CHECK);
            return true;
        }

        private boolean acceptable(Answer a) {
            if (election != null) {
                // Followers name the lost leader until their election ends; believe it only from itself.
                return a.leaderId() != lostId || a.term() > lostTerm
                        || a.memberId() == lostId && a.leaderId() == lostId;
            }
            return mode != Mode.CHECK || a.leaderId() != leaderId && a.term() > term;
        }

        private void nothingDecidedLocked() {
            if (election != null) {
                if (System.nanoTime() - electionStartedNanos < ELECTION_CAP_NANOS) {
                    roundRunning = true;
                    schedule(() -> {
                        synchronized (lock) {
                            roundRunning = false;
                            if (election != null) {
                                startRoundLocked(Mode.ELECTION);
                            }
                        }
                    }, ELECTION_ROUND_NANOS);
                } else {
                    LOG.info("no new etcd leader found within {} s; writes go round-robin until one is known",
                            ELECTION_CAP_NANOS / 1_000_000_000L);
                    endElectionLocked();
                }
            }
        }
    }

    /**
     * @param replacesFrozen whether the previous leader was found frozen (writes stuck on it): those writes are
     *        cancelled and it is put out of rotation; otherwise (e.g. it stepped down) its writes end on their own
     */
    private void adoptLocked(Member m, long id, long newTerm, boolean replacesFrozen) {
        Member previous = leader;
        leader = m;
        leaderId = id;
        term = newTerm;
        unmapped = false;
        endElectionLocked();
        if (replacesFrozen && previous != null && previous != m) {
            // A frozen leader was replaced: writes stuck on it may have been applied; fail them as unknown now.
            previous.failed("no longer the leader (member " + m + " leads in term " + newTerm + ")");
            for (Map.Entry<ClientCall<?, ?>, InFlight> e : writesOnLeader.entrySet()) {
                if (e.getValue().member() == previous) {
                    e.getKey().cancel("the member stopped answering and another member leads now", null);
                }
            }
        }
    }

    private void fallBackLocked(long id) {
        leader = null;
        endElectionLocked();
        if (!unmapped) {
            unmapped = true;
            LOG.info("etcd's leader (member id {}) is none of this client's endpoints {} (a proxy or load balancer, "
                    + "or members missing from the endpoints): writes go round-robin and are forwarded by the member "
                    + "that receives them", Long.toHexString(id), pool.members());
        }
    }

    private void endElectionLocked() {
        CompletableFuture<Void> e = election;
        election = null;
        if (e != null) {
            e.complete(null);
        }
    }

    /** Every 250 ms: a write outstanding on the leader for over 1 s starts a check of the other members. */
    private void startScan() {
        synchronized (lock) {
            if (scan != null || closed) {
                return;
            }
            try {
                scan = scheduler.scheduleWithFixedDelay(this::scanForStuckWrites, SCAN_NANOS, SCAN_NANOS,
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                closed = true;
            }
        }
    }

    private void scanForStuckWrites() {
        Member l = leader;
        if (l == null || writesOnLeader.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (InFlight f : writesOnLeader.values()) {
            if (f.member() == l && now - f.sentNanos() > STUCK_NANOS) {
                synchronized (lock) {
                    if (!roundRunning && leader == l) {
                        startRoundLocked(Mode.CHECK);
                    }
                }
                return;
            }
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }

    void close() {
        synchronized (lock) {
            closed = true;
            if (scan != null) {
                scan.cancel(false);
            }
            endElectionLocked();
        }
    }
}
