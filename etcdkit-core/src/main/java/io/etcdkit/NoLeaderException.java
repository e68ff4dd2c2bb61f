package io.etcdkit;

/**
 * The member that was asked has no raft leader (an election is under way or the member is partitioned). etcdkit retries on other members within the deadline; this error means no member with a leader answered in time.
 */
public class NoLeaderException extends EtcdUnavailableException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public NoLeaderException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public NoLeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
