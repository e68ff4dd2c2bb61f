package io.etcdkit.recipes.stm;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One {@link Stm#runAsync} run. Each call of the function is a replayed {@link StmAttempt} that reads only what
 * is already known; when it needs a key it does not know, the key is read asynchronously (pinned to the
 * snapshot revision under the serializable levels) and the function runs again. A finished call commits as the
 * blocking run does; a conflict starts the next attempt from the failed commit's else-branch reads. Every step
 * starts from the previous step's callback, so no thread waits.
 */
final class AsyncStmRun<R> {
    private final Stm stm;
    private final EtcdClient client;
    private final StmFunction<R> function;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    // Touched by one step at a time (each step starts from the previous one's callback).
    private Map<Bytes, Optional<KeyValue>> known = new LinkedHashMap<>();
    private long knownRevision;
    private int attempt = 1;

    AsyncStmRun(Stm stm, EtcdClient client, StmFunction<R> function) {
        this.stm = stm;
        this.client = client;
        this.function = function;
    }

    CompletableFuture<R> start() {
        step();
        return result;
    }

    /** Calls the function once with what is known, then fetches, commits or finishes. */
    private void step() {
        if (result.isDone()) {
            return; // cancelled by the caller
        }
        StmAttempt txn = new StmAttempt(client.kv(), stm.isolation(),
                new StmAttempt.Prefetch(Map.copyOf(known), knownRevision), true);
        R value = null;
        Throwable thrown = null;
        try {
            value = function.apply(txn);
        } catch (RuntimeException | Error e) {
            thrown = e;
        } finally {
            txn.finish();
        }
        if (txn.missing() != null) {
            fetch(txn.missing(), txn.pinnedReads());
        } else if (thrown != null) {
            result.completeExceptionally(thrown);
        } else {
            commit(txn, value);
        }
    }

    private void fetch(Bytes key, boolean pinned) {
        Range range = Range.key(key);
        if (pinned && knownRevision > 0) {
            range = range.atRevision(knownRevision);
        }
        client.kv().rangeAsync(range).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = unwrap(e);
                if (cause instanceof CompactedException) {
                    conflict(List.of(), Map.of(), 0); // the snapshot is gone: a new attempt on a new one
                } else {
                    result.completeExceptionally(cause);
                }
                return;
            }
            if (knownRevision == 0) {
                knownRevision = r.revision();
            }
            known.put(key, r.first());
            step();
        });
    }

    private void commit(StmAttempt txn, R value) {
        Transaction commit = txn.commitTransaction();
        if (commit == null) {
            result.complete(value);
            return;
        }
        client.kv().commitAsync(commit).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = unwrap(e);
                result.completeExceptionally(cause instanceof OutcomeUnknownException u
                        ? Stm.unknownOutcome(txn, u) : cause);
            } else if (r.succeeded()) {
                result.complete(value);
            } else {
                StmAttempt.Prefetch now = txn.prefetchFrom(r);
                conflict(txn.changedKeys(now), now.kvs(), now.revision());
            }
        });
    }

    /** The attempt failed: give up after the retry limit, else start the next attempt from {@code next}. */
    private void conflict(List<Bytes> changed, Map<Bytes, Optional<KeyValue>> next, long nextRevision) {
        if (attempt > stm.retries()) {
            result.completeExceptionally(stm.gaveUp(attempt, changed));
            return;
        }
        int backoffAttempt = attempt;
        attempt++;
        known = new LinkedHashMap<>(next);
        knownRevision = nextRevision;
        if (backoffAttempt == 1) {
            step(); // the first re-run starts at once, as in the blocking run
            return;
        }
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(stm.backoffNanos(backoffAttempt - 1),
                TimeUnit.NANOSECONDS)).thenRun(this::reread);
    }

    /** After a back-off the prefetch is old: read the same keys again in one transaction, then run. */
    private void reread() {
        if (known.isEmpty()) {
            step();
            return;
        }
        List<Bytes> keys = new ArrayList<>(known.keySet());
        List<Op> reads = new ArrayList<>();
        keys.forEach(k -> reads.add(Range.key(k)));
        client.kv().commitAsync(Transaction.always(reads.toArray(Op[]::new))).whenComplete((TxnResult r, Throwable e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
                return;
            }
            Map<Bytes, Optional<KeyValue>> fresh = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                fresh.put(keys.get(i), r.rangeResult(i).first());
            }
            known = fresh;
            knownRevision = r.revision();
            step();
        });
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
