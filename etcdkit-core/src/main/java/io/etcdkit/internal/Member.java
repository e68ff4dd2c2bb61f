package io.etcdkit.internal;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

/**
 * One member's channel and its health as seen by this client. A member that failed at the transport level is
 * avoided for a back-off period that doubles with each consecutive failure (250 ms up to 10 s) and resets on
 * the first success.
 */
final class Member {

    final Endpoint endpoint;
    final ManagedChannel channel;
    private volatile long avoidUntilNanos;
    private volatile int failures;

    Member(Endpoint endpoint, ManagedChannel channel) {
        this.endpoint = endpoint;
        this.channel = channel;
    }

    boolean isAvoided(long nowNanos) {
        return failures > 0 && nowNanos - avoidUntilNanos < 0;
    }

    long avoidUntilNanos() {
        return avoidUntilNanos;
    }

    void failed() {
        int f = Math.min(failures + 1, 20);
        failures = f;
        avoidUntilNanos = System.nanoTime() + Backoff.MEMBER_AVOID.delayNanos(f);
    }

    void succeeded() {
        if (failures != 0) {
            failures = 0;
        }
    }

    /**
     * Called when the member is picked again after being avoided: gRPC's own reconnect back-off may be far longer
     * than ours (up to two minutes), so ask it to try connecting now.
     */
    void prepareForUse() {
        if (failures > 0 && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
    }

    @Override
    public String toString() {
        return endpoint.toString();
    }
}
