package io.etcdkit.cluster;

import io.etcdkit.InvalidArgumentException;

/**
 * A membership change that etcd refused, with the {@link #reason()} so callers can react (e.g. treat
 * {@link Reason#MEMBER_NOT_FOUND} on removal as "already removed"). Nothing was changed.
 */
public class MembershipException extends InvalidArgumentException {
    /** Why the change was refused. */
    public enum Reason {
        /** No member has the given id. */
        MEMBER_NOT_FOUND,
        /** A member with the same id already exists. */
        MEMBER_EXISTS,
        /** Another member already uses one of the given peer URLs. */
        PEER_URL_EXISTS,
        /** A peer URL is malformed. */
        BAD_PEER_URLS,
        /** The change would leave fewer started voting members than a quorum (etcd's strict reconfig check). */
        NOT_ENOUGH_STARTED_MEMBERS,
        /**
         * etcd found the cluster not healthy enough for the change ("unhealthy cluster"): not every voting member
         * has been connected to the leader for the last 5 seconds (e.g. right after a start or restart, or while
         * a member is down), or a removal would cost the quorum. Transient when all members run: retry after a
         * few seconds.
         */
        UNHEALTHY_CLUSTER,
        /** Only a learner can be promoted, and the member is a voting member. */
        NOT_A_LEARNER,
        /** The learner has not caught up with the leader yet; retry the promotion later. */
        LEARNER_NOT_READY,
        /** The cluster already has as many learners as etcd allows (one). */
        TOO_MANY_LEARNERS
    }

    /** Why etcd refused the change. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the change was refused
     * @param message what was asked, what went wrong and what to do
     * @param cause the error as the transport reported it
     */
    public MembershipException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why the change was refused.
     *
     * @return why the change was refused
     */
    public Reason reason() {
        return reason;
    }
}
