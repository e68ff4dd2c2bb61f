package io.etcdkit.testing;

/**
 * Thrown when no running, unpaused member reports itself as the cluster leader within a bounded wait
 * (see {@link EtcdCluster#leader()} and {@link EtcdCluster#awaitLeader(java.time.Duration)}).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class EtcdNoLeaderException extends EtcdTestingException {

    /**
     * Creates an exception with a message.
     *
     * @param message how long the harness waited and what the members reported
     */
    public EtcdNoLeaderException(String message) {
        super(message);
    }
}
