package io.etcdkit.recipes.stm;

import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Software transactional memory over etcd, like etcd's Go {@code concurrency.STM}: run a function that reads and
 * writes several keys, and have its writes applied atomically only if what it read is still current.
 *
 * <pre>{@code
 * Stm stm = Stm.of(client);  // SERIALIZABLE_SNAPSHOT, 32 retries
 * stm.run(txn -> {
 *     long from = txn.get("accounts/alice", Codecs.longs()).orElse(0L);
 *     long to = txn.get("accounts/bob", Codecs.longs()).orElse(0L);
 *     if (from < 10) {
 *         throw new InsufficientFundsException();  // aborts: nothing is written
 *     }
 *     txn.put("accounts/alice", from - 10, Codecs.longs());
 *     txn.put("accounts/bob", to + 10, Codecs.longs());
 *     return null;
 * });
 * }</pre>
 *
 * <h2>How a run works</h2>
 * The function runs with a fresh {@link StmTxn}: its reads go to etcd as the {@link Isolation} level says and
 * are remembered (the read set); its writes are buffered (the write set). When it returns, one etcd transaction
 * commits: its conditions compare the modification revisions of the read set (and, under
 * {@link Isolation#SERIALIZABLE_SNAPSHOT}, of the write set) and its then-branch holds the writes. If another
 * writer came first, the conditions fail, nothing is written, and <b>the function runs again from the start</b>
 * (the failed commit's else-branch re-reads the read set, so the next attempt begins without extra round
 * trips). From the second re-run on, a jittered exponential back-off separates attempts. After
 * {@link #retries(int)} re-runs the run fails with {@link StmConflictException}, having written nothing.
 *
 * <p><b>The function re-runs, so it must not have side effects outside the {@code StmTxn}</b>; see
 * {@link StmFunction}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety:</b> an {@code Stm} is immutable and thread-safe; option methods return new instances.
 *       Each {@link #run} uses its own {@code StmTxn}s, on the calling thread. It holds no resources.</li>
 *   <li><b>Blocking:</b> {@code run} blocks (the function's reads are blocking calls); it parks without pinning
 *       a virtual thread. {@link #runAsync} is its async twin: no thread waits, and the function is re-run
 *       whenever it reads a key not fetched yet.</li>
 *   <li><b>Function failures:</b> an exception thrown by the function aborts the run with nothing written and
 *       reaches the caller unchanged.</li>
 *   <li><b>Codecs and encryption:</b> {@link StmTxn} reads and writes typed values through a
 *       {@link io.etcdkit.codec.ValueCodec} or a {@link io.etcdkit.codec.KeyBoundCodec}, such as
 *       {@code Codecs.encrypted(keyRing, Codecs.longs())} for client-side encryption, which is given each key as
 *       the client's {@code kv()} sees it. A value that does not decode or decrypt (wrong key, tampered, or a
 *       ciphertext copied from another key) throws its {@link io.etcdkit.codec.ValueDecodingException} from the
 *       read; uncaught, it aborts the run with nothing written.</li>
 *   <li><b>Unknown outcome:</b> if the commit gets no answer ({@link OutcomeUnknownException} from the client),
 *       the writes may or may not have been applied. The function is <b>not</b> re-run, since that could apply
 *       them twice: {@code run} throws {@link OutcomeUnknownException} naming the written keys. Read them to
 *       learn the outcome before running the transaction again.</li>
 *   <li><b>Other failures:</b> the client's {@link EtcdException}s from reads or the commit, with nothing
 *       written. A read at a snapshot revision that has been compacted meanwhile re-runs the function on a new
 *       snapshot, counting as a conflict.</li>
 *   <li><b>Size:</b> the commit holds one compare per key read (plus one per key written under
 *       {@code SERIALIZABLE_SNAPSHOT}) and one operation per key written; etcd limits each to
 *       {@code --max-txn-ops} (128 by default), beyond which the commit fails with
 *       {@link io.etcdkit.TooManyOperationsException} and nothing is written.</li>
 *   <li><b>Differences from Go:</b> reads under {@code REPEATABLE_READ} and {@code READ_COMMITTED} are
 *       linearizable (Go reads from the local member), and {@code READ_COMMITTED} does not cache reads.</li>
 * </ul>
 */
public final class Stm {
    private static final int DEFAULT_RETRIES = 32;

    private final EtcdClient client;
    private final Isolation isolation;
    private final int retries;
    private final Backoff backoff;

    private Stm(EtcdClient client, Isolation isolation, int retries, Backoff backoff) {
        this.client = client;
        this.isolation = isolation;
        this.retries = retries;
        this.backoff = backoff;
    }

    /**
     * An STM on {@code client} with {@link Isolation#SERIALIZABLE_SNAPSHOT}, up to 32 re-runs, and a back-off of
     * up to 5 ms doubling to 500 ms.
     *
     * @param client the client to use
     * @return an STM on {@code client} with {@link Isolation#SERIALIZABLE_SNAPSHOT}, up to 32 re-runs, and a back-off of up to 5 ms doubling to 500 ms
     */
    public static Stm of(EtcdClient client) {
        Objects.requireNonNull(client, "client");
        return new Stm(client, Isolation.SERIALIZABLE_SNAPSHOT, DEFAULT_RETRIES,
                Backoff.conflicts(Duration.ofMillis(5), Duration.ofMillis(500)));
    }

    /**
     * This STM with isolation level {@code isolation}.
     *
     * @param isolation the isolation
     * @return this STM with isolation level {@code isolation}
     */
    public Stm isolation(Isolation isolation) {
        Objects.requireNonNull(isolation, "isolation");
        return new Stm(client, isolation, retries, backoff);
    }

    /**
     * This STM, re-running the function at most {@code retries} times after conflicts (0: a single attempt).
     *
     * @param retries the retries
     * @return this STM, re-running the function at most {@code retries} times after conflicts (0: a single attempt)
     * @throws InvalidArgumentException when negative
     */
    public Stm retries(int retries) {
        if (retries < 0) {
            throw new InvalidArgumentException("retries must be 0 or more, got " + retries);
        }
        return new Stm(client, isolation, retries, backoff);
    }

    /**
     * This STM, waiting before re-run {@code n} (from the second on) a random time up to {@code initial}
     * doubled {@code n - 1} times, at most {@code max} (full jitter).
     *
     * @param initial the first value
     * @param max the maximum
     * @return this STM, waiting before re-run {@code n} (from the second on) a random time up to {@code initial} doubled {@code n - 1} times, at most {@code max} (full jitter)
     * @throws InvalidArgumentException when {@code initial} is not positive or {@code max} is shorter
     */
    public Stm backoff(Duration initial, Duration max) {
        return new Stm(client, isolation, retries, Backoff.conflicts(initial, max));
    }

    /**
     * The isolation level.
     *
     * @return the isolation level
     */
    public Isolation isolation() {
        return isolation;
    }

    /**
     * Runs {@code function} as a transaction and returns its result once its writes are committed.
     *
     * @param <R> the type R
     * @param function the function
     * @return the function's result, once its writes are committed
     * @throws StmConflictException when every attempt conflicted up to the retry limit (nothing written)
     * @throws OutcomeUnknownException when the commit got no answer (the writes applied once or not at all)
     * @throws RuntimeException whatever the function threw (nothing written)
     */
    public <R> R run(StmFunction<R> function) {
        Objects.requireNonNull(function, "function");
        StmAttempt.Prefetch prefetch = StmAttempt.Prefetch.NONE;
        for (int attempt = 1; ; attempt++) {
            StmAttempt txn = new StmAttempt(client.kv(), isolation, prefetch);
            R result;
            try {
                result = function.apply(txn);
            } catch (RuntimeException | Error e) {
                if (!txn.snapshotLost()) {
                    throw e;
                }
                result = null;
            } finally {
                txn.finish();
            }
            List<Bytes> changed;
            if (txn.snapshotLost()) {
                prefetch = StmAttempt.Prefetch.NONE;
                changed = List.of();
            } else {
                Transaction commit = txn.commitTransaction();
                if (commit == null) {
                    return result;
                }
                TxnResult committed = commit(commit, txn);
                if (committed.succeeded()) {
                    return result;
                }
                prefetch = txn.prefetchFrom(committed);
                changed = txn.changedKeys(prefetch);
            }
            if (attempt > retries) {
                throw gaveUp(attempt, changed);
            }
            if (attempt > 1) {
                pause(backoff.delayNanos(attempt - 1));
            }
        }
    }

    private TxnResult commit(Transaction commit, StmAttempt txn) {
        try {
            return client.kv().commit(commit);
        } catch (OutcomeUnknownException e) {
            throw unknownOutcome(txn, e);
        }
    }

    StmConflictException gaveUp(int attempts, List<Bytes> changed) {
        return new StmConflictException("the STM transaction gave up after " + attempts + " attempts: "
                + (changed.isEmpty() ? "other writers changed its keys" : "other writers changed " + changed)
                + " before each commit (isolation " + isolation + "). Nothing was written, so it may be "
                + "repeated; raise retries(..), keep the transaction short, or split hot keys", attempts, changed);
    }

    static OutcomeUnknownException unknownOutcome(StmAttempt txn, OutcomeUnknownException e) {
        return new OutcomeUnknownException("the commit of an STM transaction writing " + txn.writtenKeys()
                + " got no answer, so its writes may or may not have been applied (all together or none). The "
                + "function was not run again, since that could apply them twice; read those keys to learn the "
                + "outcome before running it again", e);
    }

    /**
     * Async twin of {@link #run(StmFunction)}: the same transaction, with the same conflict, retry and failure
     * rules, and no thread waiting on etcd. The function runs on the client's callback executor (its very first
     * call on the calling thread), and must not block: it sees the keys it reads as the blocking form would, but
     * a read of a key not fetched yet stops that call, the key is read asynchronously, and the function is
     * <b>called again from the start</b> with it known — so a function that reads {@code n} keys runs up to
     * {@code n + 1} times per attempt (the reason it must have no side effects is the same as for conflicts),
     * and it must be deterministic: given the same values it must read the same keys.
     * A re-run after a conflict back-off starts on the JDK's timer thread when it has nothing to re-read.
     *
     * <p>The future fails with {@link StmConflictException} after the retry limit, with
     * {@link OutcomeUnknownException} when the commit got no answer, with whatever the function threw (nothing
     * written), or with the client's typed {@link EtcdException}.
     *
     * @param <R> the type of the function's result
     * @param function the function; it must not block
     * @return a future completed with the function's result once its writes are committed
     */
    public <R> CompletableFuture<R> runAsync(StmFunction<R> function) {
        Objects.requireNonNull(function, "function");
        return new AsyncStmRun<>(this, client, function).start();
    }

    int retries() {
        return retries;
    }

    long backoffNanos(int attempt) {
        return backoff.delayNanos(attempt);
    }

    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted between attempts of an STM transaction; nothing was written", e);
        }
    }

    @Override
    public String toString() {
        return "Stm[" + isolation + ", retries " + retries + "]";
    }
}
