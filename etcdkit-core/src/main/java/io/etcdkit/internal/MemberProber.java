package io.etcdkit.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Brings a member that is out of rotation back when it answers again. A member whose attempt failed at the
 * transport level (timed out, unreachable, no leader) gets no calls until a cheap probe answers: a
 * {@code Status} call with a short deadline (500 ms) and the require-leader header, repeated after 250 ms,
 * 500 ms, then every second. A frozen (SIGSTOPped) member thus costs one full attempt, not one per back-off
 * period, and a member without a leader comes back only once it has one.
 *
 * <p>Probes are plain gRPC calls, not client calls: the call listener does not hear them. The member's
 * {@code memberRecovered} event is reported when a probe answers.
 */
final class MemberProber {
    static final long PROBE_DEADLINE_NANOS = 500_000_000L;
    private static final long FIRST_DELAY_NANOS = 250_000_000L;
    private static final long MAX_DELAY_NANOS = 1_000_000_000L;

    private final ScheduledExecutorService scheduler;
    private final Supplier<String> currentToken;
    private volatile boolean closed;

    /**
     * @param scheduler runs the probes (each one only starts a call)
     * @param currentToken the auth token to send when one is at hand, else null (never waits)
     */
    MemberProber(ScheduledExecutorService scheduler, Supplier<String> currentToken) {
        this.scheduler = scheduler;
        this.currentToken = currentToken;
    }

    /** Starts probing {@code member} unless it is probed already; ends when a probe answers. */
    void start(Member member) {
        if (!closed && member.startProbing()) {
            schedule(member, 1);
        }
    }

    private void schedule(Member member, int round) {
        if (closed) {
            return;
        }
        long delay = Math.min(MAX_DELAY_NANOS, FIRST_DELAY_NANOS << Math.min(round - 1, 4));
        try {
            scheduler.schedule(() -> probe(member, round), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed = true; // the transport is closing
        }
    }

    private void probe(Member member, int round) {
        if (closed || !member.stillNeedsProbing()) {
            return;
        }
        member.resetConnectBackoff();
        StatusProbe.send(member, PROBE_DEADLINE_NANOS, currentToken.get(), true, (response, status) -> {
            // Any answer from etcd but a transport failure or "no leader" means the member serves again.
            if (status.isOk() ? response != null : !FailureClassifier.avoidMember(status)) {
                member.probeAnswered();
            } else {
                schedule(member, round + 1);
            }
        });
    }

    void close() {
        closed = true;
    }
}
