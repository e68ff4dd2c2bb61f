package io.etcdkit.observe;

/**
 * How a call (or one attempt of it) ended, in the terms that matter for operating a service.
 */
public enum CallOutcome {
    /** etcd answered and the call succeeded. */
    OK,
    /**
     * etcd answered with a refusal that retrying would not change: invalid argument, permission denied, compacted
     * revision, unknown lease, request too large, failed authentication. Nothing was applied.
     */
    REFUSED,
    /** No member could be reached or none had a leader; nothing was applied. */
    UNAVAILABLE,
    /** The call's deadline passed before an answer; for a read nothing is unknown, for a write see below. */
    DEADLINE,
    /**
     * A write may or may not have been applied: it reached a member and the answer was lost. Reported to the
     * caller as {@link io.etcdkit.OutcomeUnknownException}, never retried silently.
     */
    OUTCOME_UNKNOWN
}
