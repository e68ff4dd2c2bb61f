package io.etcdkit.soak;

import java.time.Duration;

/**
 * One concurrent workload of a soak run with its checker. The runner calls {@link #start}, lets it run under the
 * nemesis, calls {@link #stop} once the faults are healed, then {@link #check} (which may read the store), and
 * always {@link #close}.
 */
public interface Workload extends AutoCloseable {
    /** {@return the workload's name, e.g. "registers"} */
    String name();

    /** {@return the operations it made so far} */
    OperationLog log();

    /**
     * Opens its clients and starts its threads.
     *
     * @throws Exception if it cannot start
     */
    void start() throws Exception;

    /**
     * Stops making operations and waits (bounded) for its threads to finish.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void stop() throws InterruptedException;

    /**
     * Settles what is left (drains, waits for the consumers to catch up, reads the store) and runs the checker.
     *
     * @param budget how long the checker and its waits may take
     * @return the checker's verdict
     * @throws Exception if it cannot check; the runner reports that as a violation
     */
    Verdict check(Duration budget) throws Exception;

    /** Closes its clients; never throws. */
    @Override
    void close();
}
