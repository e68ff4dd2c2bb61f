package io.etcdkit.internal;

import io.grpc.Status;

/**
 * Reads a failed attempt's gRPC status the way etcd means it: whether it may be retried (see
 * {@link RetryPolicy}) and whether the member should be avoided for a while.
 *
 * <p>etcd reports its own errors as gRPC statuses with an {@code etcdserver: ...} description; the ones named
 * here are those of etcd's {@code rpctypes} package. "No leader" is only returned before a request is
 * proposed (the client sends the {@code hasleader} require-leader header), so it is safe to retry even a write;
 * so is "unhealthy cluster", which etcd returns before proposing a membership change.
 */
final class FailureClassifier {
    private FailureClassifier() {}

    static RetryPolicy retryPolicy(Status status, boolean mayHaveReachedServer) {
        String d = description(status);
        switch (status.getCode()) {
            case UNAVAILABLE:
                if (d.startsWith("etcdserver: no leader") || d.startsWith("etcdserver: not capable")
                        || d.contains("not supported for learner") || d.startsWith("etcdserver: unhealthy cluster")) {
                    return RetryPolicy.SAFE;
                }
                if (d.startsWith("etcdserver:")) {
                    // leader changed, request timed out, server stopped, unhealthy cluster: maybe applied.
                    return RetryPolicy.READS_ONLY;
                }
                return mayHaveReachedServer ? RetryPolicy.READS_ONLY : RetryPolicy.SAFE;
            case DEADLINE_EXCEEDED:
                return mayHaveReachedServer ? RetryPolicy.READS_ONLY : RetryPolicy.SAFE;
            case RESOURCE_EXHAUSTED:
                return d.startsWith("etcdserver: too many requests") ? RetryPolicy.SAFE : RetryPolicy.NEVER;
            case UNAUTHENTICATED:
                return d.contains("invalid auth token") ? RetryPolicy.REFRESH_TOKEN : RetryPolicy.NEVER;
            case INVALID_ARGUMENT:
                return d.contains("revision of auth store is old") ? RetryPolicy.REFRESH_TOKEN : RetryPolicy.NEVER;
            case UNKNOWN:
                // A member shutting down may reset streams with UNKNOWN; and etcd reports a request whose
                // (propagated) deadline ran out inside the server, e.g. a ReadIndex during an election, as UNKNOWN
                // "context deadline exceeded". Both are like a transport failure or a time-out.
                return isServerTimeoutOrReset(d)
                        ? (mayHaveReachedServer ? RetryPolicy.READS_ONLY : RetryPolicy.SAFE)
                        : RetryPolicy.NEVER;
            default:
                return RetryPolicy.NEVER;
        }
    }

    /** Whether the member should be avoided for a while: it is unreachable, has no leader, or timed out. */
    static boolean avoidMember(Status status) {
        String d = description(status);
        switch (status.getCode()) {
            case UNAVAILABLE:
                return !d.startsWith("etcdserver: leader changed") && !d.startsWith("etcdserver: request timed out");
            case DEADLINE_EXCEEDED:
                return true;
            case UNKNOWN:
                return isServerTimeoutOrReset(d);
            default:
                return false;
        }
    }

    static boolean isServerTimeoutOrReset(String description) {
        return description.contains("transport is closing") || description.contains("RST_STREAM")
                || description.contains("context deadline exceeded") || description.contains("context canceled");
    }

    static String description(Status status) {
        String d = status.getDescription();
        return d == null ? "" : d;
    }
}
