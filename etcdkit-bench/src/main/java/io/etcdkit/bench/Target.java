package io.etcdkit.bench;

import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * A client under test: etcdkit, jetcd, or a diagnostic variant. One instance per client, shared by all workloads of
 * a run. The operation workloads ({@link Workload.Kind#OPERATIONS}) go through {@link #prepare}; the others drive the
 * client objects directly (see {@link EtcdkitTarget#client()}, {@link JetcdTarget#client()}).
 */
interface Target extends AutoCloseable {

    /** {@code etcdkit}, {@code jetcd}, or a variant's name. */
    String name();

    /**
     * Prepares an operation workload over {@code keys}: converts keys and value to the client's own types and sets
     * up what the operation needs (a lease, a cache), none of it measured, and returns the operation to issue.
     *
     * @throws UnsupportedOperationException when this client cannot run the workload
     */
    Operation prepare(Workload workload, KeySpace keys) throws Exception;

    /** Writes {@code value} at {@code key} and reads it back; throws if the client does not work. */
    void verify(byte[] key, byte[] value) throws Exception;

    @Override
    void close();

    /** One benchmark operation. */
    interface Operation extends AutoCloseable {
        /** Issues operation number {@code i} asynchronously (the async API; it must not block). */
        CompletableFuture<?> issue(long i);

        /**
         * Whether a successful response is also the expected one (a read found its key, a transaction's compare
         * held); a response that is not counts as an error.
         */
        boolean expected(Object response);

        /** Releases what {@link Target#prepare} set up for this operation (a lease, a cache). */
        @Override
        default void close() throws Exception {
        }
    }

    /**
     * An operation answered inside this process without a request (a cache read), so cheap that timing each one
     * would cost more than the operation: {@link PhaseRunner} calls it synchronously, {@link #SCALE} times as often
     * as a remote operation, and times it in batches.
     */
    interface LocalOperation extends Operation {
        /** How many more operations a phase runs than it would of a remote operation, to last long enough to time. */
        int SCALE = 100;

        /** Runs operation number {@code i}; returns whether the answer was the expected one. */
        boolean run(long i);

        @Override
        default CompletableFuture<?> issue(long i) {
            return CompletableFuture.completedFuture(run(i));
        }

        @Override
        default boolean expected(Object response) {
            return Boolean.TRUE.equals(response);
        }
    }

    /**
     * An operation whose closed loop runs in another process (Go's client, {@link GoTarget}): {@link PhaseRunner}
     * hands it whole phases, and it reports what each did and what that process used, measured there.
     */
    @FunctionalInterface
    interface ExternalOperation extends Operation {
        /** Runs operations {@code first .. first + count - 1}, at most {@code inFlight} outstanding. */
        Run run(long first, int count, int inFlight) throws Exception;

        @Override
        default CompletableFuture<?> issue(long i) {
            throw new UnsupportedOperationException("an external operation runs whole phases in its own process");
        }

        @Override
        default boolean expected(Object response) {
            return true;
        }

        /**
         * What an external phase did and used: its process's CPU (user + system, all threads), allocation and
         * garbage collections over the phase, and latencies in nanoseconds.
         */
        record Run(int ops, long errors, long unexpected, Throwable firstError, Histogram latencies,
                long elapsedNanos, long cpuNanos, long allocatedBytes, long gcCount, long gcMillis) {
        }
    }
}
