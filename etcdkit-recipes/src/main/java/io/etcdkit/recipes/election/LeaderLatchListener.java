package io.etcdkit.recipes.election;

/**
 * Told when a {@link LeaderLatch} gains and loses leadership. Calls of one latch run one at a time, in order, on
 * the latch's own thread; {@code isLeader} and {@code notLeader} alternate, starting with {@code isLeader}.
 */
public interface LeaderLatchListener {
    /**
     * This process now leads. {@code epoch} is the leadership's revision: it grows with every new leadership and
     * can fence writes (see {@link Leadership#guard()}).
     *
     * @param epoch the epoch
     */
    void isLeader(long epoch);

    /**
     * This process must stop acting as leader: it resigned, its session is suspended (the lease may be lost at
     * any moment) or expired, or the latch was closed. After a suspension that ends with the lease intact,
     * {@link #isLeader(long)} is called again with the same epoch.
     *
     * @param epoch the epoch
     */
    void notLeader(long epoch);
}
