package io.etcdkit.observe;

/**
 * Follows one call from start to end; returned by {@link EtcdListener#callStarted(CallInfo)}.
 *
 * <p>For every call, {@link #attemptFailed} is called once per failed attempt that is then retried (zero times for
 * most calls) and {@link #ended} exactly once, last; a call's final failure is reported by {@link #ended} only. Calls come from etcdkit's callback and timer threads, never concurrently for
 * one call. Implementations must return quickly and must not block; an exception they throw is logged and
 * otherwise ignored.
 */
public interface CallListener {
    /** A listener that ignores everything. */
    CallListener NONE = new CallListener() {
    };

    /**
     * One attempt failed and the call will be tried again, on this or another member. Only attempts that surely
     * changed nothing are retried for writes.
     *
     * @param member the endpoint of the member the attempt went to, e.g. {@code http://10.0.0.1:2379}
     * @param outcome how the attempt ended ({@link CallOutcome#UNAVAILABLE}, {@link CallOutcome#DEADLINE}, or
     *     {@link CallOutcome#REFUSED} for an expired auth token that is refreshed)
     */
    default void attemptFailed(String member, CallOutcome outcome) {
    }

    /**
     * The call ended.
     *
     * @param member the endpoint of the member the last attempt went to, or {@code null} when the call never
     *     reached the point of choosing a member (for example a request too large to send)
     * @param outcome how it ended
     * @param durationNanos the time from start to end, retries included
     * @param error the error the caller receives, or {@code null} when {@code outcome} is {@link CallOutcome#OK}
     */
    default void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
    }
}
