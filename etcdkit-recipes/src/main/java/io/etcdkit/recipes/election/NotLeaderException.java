package io.etcdkit.recipes.election;

import io.etcdkit.EtcdException;

/**
 * A leader-only operation (proclaim) was attempted by a candidate that is not, or no longer, the leader: it
 * resigned, its session expired, or it never won. Campaign again to lead.
 */
public class NotLeaderException extends EtcdException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public NotLeaderException(String message) {
        super(message);
    }
}
