package io.etcdkit.internal;

import io.etcdkit.observe.EtcdListener;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One member's channel and its health as seen by this client. A member that failed at the transport level is
 * out of rotation until a {@link MemberProber} probe answers (when the client has other members); its back-off
 * period (250 ms doubling up to 10 s, reset on the first success) only orders the members when every one is out.
 * With a single member there is no probe and the back-off alone applies.
 *
 * <p>The client's listener hears when the member starts being avoided and when it answers again, once per
 * transition: concurrent failures of an already avoided member report nothing more. Without a listener the cost
 * is one reference comparison on a failure and nothing on a success.
 */
final class Member {

    private static final AtomicIntegerFieldUpdater<Member> AVOIDED =
            AtomicIntegerFieldUpdater.newUpdater(Member.class, "avoided");

    final Endpoint endpoint;
    final ManagedChannel channel;
    private final EtcdListener listener;
    private volatile long avoidUntilNanos;
    private volatile int failures;
    /** 1 while the listener was told that the member is avoided and not yet that it recovered. */
    private volatile int avoided;
    private static final AtomicIntegerFieldUpdater<Member> PROBING =
            AtomicIntegerFieldUpdater.newUpdater(Member.class, "probing");
    /** 1 while a probe series runs. */
    private volatile int probing;
    /** Set when endpoint auto-sync dropped the member: no more probes. */
    private volatile boolean retired;
    private final MemberProber prober;

    /**
     * @param prober brings the member back after a failure; null to rely on the back-off period alone
     */
    Member(Endpoint endpoint, ManagedChannel channel, EtcdListener listener, MemberProber prober) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.listener = listener;
        this.prober = prober;
    }

    boolean isAvoided(long nowNanos) {
        return failures > 0 && (prober != null || nowNanos - avoidUntilNanos < 0);
    }

    long avoidUntilNanos() {
        return avoidUntilNanos;
    }

    /**
     * The member failed at the transport level: avoid it for a while.
     *
     * @param why a {@link Status}, an exception or a text; turned into text only when the listener is told
     */
    void failed(Object why) {
        int f = Math.min(failures + 1, 20);
        failures = f;
        avoidUntilNanos = System.nanoTime() + Backoff.MEMBER_AVOID.delayNanos(f);
        if (listener != EtcdListener.NONE && AVOIDED.compareAndSet(this, 0, 1)) {
            listener.memberAvoided(endpoint.toString(), describe(why));
        }
        if (prober != null) {
            prober.start(this);
        }
    }

    /** Claims the member's probe series; false when one runs already. */
    boolean startProbing() {
        return PROBING.compareAndSet(this, 0, 1);
    }

    /**
     * Whether the probe series should go on: false (and the series ends) once the member answered a call.
     */
    boolean stillNeedsProbing() {
        if (retired) {
            return false;
        }
        if (failures != 0) {
            return true;
        }
        probing = 0;
        // A failure that raced with this check found the series still claimed and started none: claim it now.
        return failures != 0 && startProbing();
    }

    /**
     * The member left the cluster (endpoint auto-sync): its probes stop and its channel shuts down once the calls
     * and streams on it ended; new calls on it fail as unavailable and are retried elsewhere.
     */
    void retire() {
        retired = true;
        channel.shutdown();
    }

    /** A probe answered: the member is back in rotation. */
    void probeAnswered() {
        probing = 0;
        succeeded();
    }

    void succeeded() {
        if (failures != 0) {
            failures = 0;
            if (listener != EtcdListener.NONE && AVOIDED.compareAndSet(this, 1, 0)) {
                listener.memberRecovered(endpoint.toString());
            }
        }
    }

    private static String describe(Object why) {
        if (why instanceof Status s) {
            String d = s.getDescription();
            Throwable c = s.getCause();
            return s.getCode() + (d == null || d.isEmpty() ? "" : ": " + d)
                    + (c == null || d != null && !d.isEmpty() ? "" : ": " + c);
        }
        if (why instanceof Throwable t) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        return String.valueOf(why);
    }

    /**
     * Called when the member is picked again after being avoided: gRPC's own reconnect back-off may be far longer
     * than ours (up to two minutes), so ask it to try connecting now.
     */
    void prepareForUse() {
        if (failures > 0) {
            resetConnectBackoff();
        }
    }

    /** Asks gRPC to reconnect now when the channel is waiting out its own reconnect back-off. */
    void resetConnectBackoff() {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
