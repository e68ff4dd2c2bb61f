package io.etcdkit.internal;

/**
 * What a unary call does, which decides its retries and headers.
 */
public enum CallKind {
    /** A linearizable read or another call without side effects: retried on any transient failure. */
    READ,
    /** A serializable read, served by whichever member answers even without a leader. */
    LOCAL_READ,
    /**
     * A read that etcd serves from the answering member's own state although it should see the latest writes
     * (etcd 3.4's member list): sent to the leader when it is known, which applies changes first; retried like
     * {@link #READ}.
     */
    LEADER_READ,
    /** A call that changes state: retried only when it surely was not applied. */
    WRITE,
    /** A call that changes state but is harmless to repeat (e.g. keep-alive once, authenticate). */
    IDEMPOTENT_WRITE;

    /** Whether the call goes to the leader when one is known: it changes state or must see the latest changes. */
    boolean prefersLeader() {
        return this == WRITE || this == IDEMPOTENT_WRITE || this == LEADER_READ;
    }

    boolean retriesWhenMaybeApplied() {
        return this != WRITE;
    }
}
