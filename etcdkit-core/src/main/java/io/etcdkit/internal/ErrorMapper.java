package io.etcdkit.internal;

import io.etcdkit.AuthenticationFailedException;
import io.etcdkit.CompactedException;
import io.etcdkit.DeadlineExceededException;
import io.etcdkit.EtcdException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.NoLeaderException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.PermissionDeniedException;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.TooManyOperationsException;
import io.grpc.Status;

/**
 * Turns a final gRPC status into etcdkit's typed exception, with a message that names the operation, the member
 * and what to do.
 */
public final class ErrorMapper {
    private ErrorMapper() {}

    /**
     * The exception for a failed call.
     *
     * @param status the last attempt's status
     * @param operation what was asked, e.g. "put key 'a'"
     * @param member the member that answered, or null
     */
    public static EtcdException toException(Status status, String operation, Object member) {
        String d = FailureClassifier.description(status);
        String where = member == null ? "" : " on " + member;
        String head = operation + where + " failed: " + (d.isEmpty() ? status.getCode().toString() : d);
        Throwable cause = status.getCause();
        switch (status.getCode()) {
            case UNAVAILABLE:
                if (d.startsWith("etcdserver: no leader")) {
                    return new NoLeaderException(head + ". The member has no raft leader (an election is under "
                            + "way or the member is cut off); retry later or check the cluster's health", cause);
                }
                String tls = TlsFailures.explain(status);
                if (tls != null) {
                    return new EtcdUnavailableException(operation + where + " failed: " + tls, cause);
                }
                return new EtcdUnavailableException(head + ". Check that the etcd members are running and "
                        + "reachable; reads may be retried", cause);
            case DEADLINE_EXCEEDED:
                return new DeadlineExceededException(head + ". No answer before the deadline; raise it with "
                        + "withDeadline(..) or look for an overloaded or partitioned cluster", cause);
            case OUT_OF_RANGE:
                if (d.contains("compacted")) {
                    return new CompactedException(head + ". Read at a newer revision or re-read the current "
                            + "state", 0);
                }
                if (d.contains("future revision")) {
                    return new InvalidArgumentException(head + ". The revision asked for has not been written "
                            + "yet; use a revision at most the cluster's current one", cause);
                }
                if (d.contains("too large lease TTL")) {
                    return new InvalidArgumentException(head + ". Use a shorter TTL (etcd allows at most about "
                            + "9,000,000,000 seconds)", cause);
                }
                return new InvalidArgumentException(head, cause);
            case INVALID_ARGUMENT:
                if (d.contains("too many operations in txn")) {
                    return new TooManyOperationsException(head + ". The server allows at most --max-txn-ops "
                            + "operations per transaction (128 by default); split the batch, raise the limit, "
                            + "or use the bulk loader. Nothing was applied", cause);
                }
                if (d.contains("request is too large")) {
                    return new RequestTooLargeException(head + ". The request exceeds the server's "
                            + "--max-request-bytes (1.5 MiB by default); store smaller values or split the "
                            + "batch. Nothing was applied", cause);
                }
                if (d.contains("user name is empty")) {
                    return new AuthenticationFailedException(head + ". The cluster has authentication enabled and "
                            + "this client sent no credentials; configure them with "
                            + "EtcdClient.builder().credentials(user, password)", cause);
                }
                if (d.contains("authentication failed")) {
                    return new AuthenticationFailedException(head + ". Check the user name and password given "
                            + "to the client (the cluster has authentication enabled)", cause);
                }
                if (d.contains("key is not provided")) {
                    return new InvalidArgumentException(head + ". etcd keys must not be empty", cause);
                }
                if (d.contains("duplicate key given in txn")) {
                    return new InvalidArgumentException(head + ". A transaction may write each key only once; "
                            + "remove the duplicate. Nothing was applied", cause);
                }
                return new InvalidArgumentException(head + ". Nothing was applied; fix the request", cause);
            case FAILED_PRECONDITION:
                return new InvalidArgumentException(head + ". The request does not fit the cluster's current "
                        + "state; nothing was applied", cause);
            case RESOURCE_EXHAUSTED:
                if (d.contains("too many requests")) {
                    return new EtcdUnavailableException(head + ". The member is overloaded (its applied index "
                            + "lags); slow down and retry", cause);
                }
                if (d.contains("database space exceeded")) {
                    return new EtcdException(head + ". The cluster's backend is full and now refuses writes: "
                            + "compact, defragment, then disarm the NOSPACE alarm (or raise --quota-backend-bytes)",
                            cause);
                }
                return new RequestTooLargeException(head + ". A message exceeded a size limit; raise "
                        + "maxInboundMessageSize/maxOutboundMessageSize on the client (and --max-request-bytes on "
                        + "the server), or ask for less per request (use paging)", cause);
            case NOT_FOUND:
                if (d.contains("lease not found")) {
                    return new LeaseNotFoundException(head + ". The lease expired, was revoked, or never "
                            + "existed; grant a new one", cause);
                }
                return new InvalidArgumentException(head, cause);
            case PERMISSION_DENIED:
                return new PermissionDeniedException(head + ". The user lacks permission for this key range or "
                        + "operation; grant it a role that allows it", cause);
            case UNAUTHENTICATED:
                return new AuthenticationFailedException(head + ". The cluster requires authentication; check "
                        + "the credentials given to the client", cause);
            case UNKNOWN:
                if (d.contains("context deadline exceeded")) {
                    return new DeadlineExceededException(head + ". The member gave up when the deadline ran out "
                            + "(often a leader election); raise the deadline or retry", cause);
                }
                return new EtcdException(head, cause);
            case CANCELLED:
                return new EtcdException(head + ". The call was cancelled (the client was closed or the caller "
                        + "gave up)", cause);
            default:
                return new EtcdException(head, cause);
        }
    }

    /** The exception for a write that was sent but got no definite answer. */
    public static OutcomeUnknownException outcomeUnknown(Status status, String operation, Object member) {
        String d = FailureClassifier.description(status);
        return new OutcomeUnknownException(operation + (member == null ? "" : " on " + member)
                + " may or may not have been applied: the request was sent but the answer was lost ("
                + status.getCode() + (d.isEmpty() ? "" : ": " + d) + "). It was not retried, to avoid applying "
                + "it twice; read the affected keys to learn the outcome", status.getCause());
    }
}
