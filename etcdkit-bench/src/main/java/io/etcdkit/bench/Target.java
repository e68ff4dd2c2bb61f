package io.etcdkit.bench;

import java.util.concurrent.CompletableFuture;

/** A client under test: etcdkit or jetcd. One instance per client, shared by all workloads of a run. */
interface Target extends AutoCloseable {

    /** {@code etcdkit} or {@code jetcd}. */
    String name();

    /**
     * Prepares a workload over {@code keys}: converts keys and value to the client's own types (not measured)
     * and returns the operation to issue.
     */
    Operation prepare(Workload workload, KeySpace keys);

    /** Writes {@code value} at {@code key} and reads it back; throws if the client does not work. */
    void verify(byte[] key, byte[] value) throws Exception;

    @Override
    void close();

    /** One benchmark operation. */
    interface Operation {
        /** Issues operation number {@code i} asynchronously (the async API; it must not block). */
        CompletableFuture<?> issue(long i);

        /**
         * Whether a successful response is also the expected one (a read found its key, a transaction's compare
         * held); a response that is not counts as an error.
         */
        boolean expected(Object response);
    }
}
