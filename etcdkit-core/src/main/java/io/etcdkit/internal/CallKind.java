package io.etcdkit.internal;

/**
 * What a unary call does, which decides its retries and headers.
 */
public enum CallKind {
    /** A linearizable read or another call without side effects: retried on any transient failure. */
    READ,
    /** A serializable read, served by whichever member answers even without a leader. */
    LOCAL_READ,
    /** A call that changes state: retried only when it surely was not applied. */
    WRITE,
    /** A call that changes state but is harmless to repeat (e.g. keep-alive once, authenticate). */
    IDEMPOTENT_WRITE;

    /** Whether the call changes state, so it goes to the leader when one is known. */
    boolean isWrite() {
        return this == WRITE || this == IDEMPOTENT_WRITE;
    }

    boolean retriesWhenMaybeApplied() {
        return this != WRITE;
    }
}
