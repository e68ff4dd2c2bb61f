package io.etcdkit.recipes.stm;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of an STM run: the read set, the write set, the snapshot revision, and the commit transaction
 * built from them for the isolation level.
 */
final class StmAttempt implements StmTxn {

    /**
     * Keys read by the else branch of a failed commit, all at {@code revision}: the next attempt starts from
     * them instead of reading them again.
     */
    record Prefetch(Map<Bytes, Optional<KeyValue>> kvs, long revision) {
        static final Prefetch NONE = new Prefetch(Map.of(), 0);
    }

    private record Write(Optional<Bytes> value, Op op) {
    }

    private final Kv kv;
    private final Isolation isolation;
    private final Map<Bytes, Optional<KeyValue>> prefetched;
    private final Map<Bytes, Optional<KeyValue>> reads = new LinkedHashMap<>();
    private final Map<Bytes, Write> writes = new LinkedHashMap<>();
    /** The revision all reads are pinned to (snapshot levels), 0 before the first read. */
    private long snapshotRevision;
    private boolean snapshotLost;
    private boolean finished;

    /**
     * Raised by a read in a replayed attempt ({@link #replaying}) whose key is not known yet: the async run reads
     * it without blocking and runs the function again. Marked on the attempt too, so a function that catches it
     * cannot hide it.
     */
    static final class ReadPending extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadPending(Bytes key) {
            super("the STM read of " + key + " is being fetched; the function runs again once it is known", null,
                    false, false);
        }
    }

    /** Async runs: reads come only from the prefetch; a key not in it is {@link #missing()}. */
    private final boolean replaying;
    private Bytes missing;

    StmAttempt(Kv kv, Isolation isolation, Prefetch prefetch) {
        this(kv, isolation, prefetch, false);
    }

    /**
     * @param replaying true for an async run: reads are served from {@code prefetch} only, and a read of any other
     *     key stops the function with {@link ReadPending} after recording the key ({@link #missing()})
     */
    StmAttempt(Kv kv, Isolation isolation, Prefetch prefetch, boolean replaying) {
        this.replaying = replaying;
        this.kv = kv;
        this.isolation = isolation;
        this.prefetched = new HashMap<>(prefetch.kvs());
        // A prefetch is one consistent read: it can serve as the snapshot.
        this.snapshotRevision = pinned() && !prefetched.isEmpty() ? prefetch.revision() : 0;
    }

    // ---- StmTxn -----------------------------------------------------------------------------------------

    @Override
    public Optional<Bytes> get(Bytes key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        Write written = writes.get(key);
        if (written != null) {
            return written.value();
        }
        return read(key).map(KeyValue::value);
    }

    @Override
    public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        return get(Bytes.of(key)).map(Bytes::toStringUtf8);
    }

    @Override
    public <T> Optional<T> get(String key, ValueCodec<T> codec) {
        return get(key, KeyBoundCodec.ignoringKey(codec));
    }

    @Override
    public <T> Optional<T> get(String key, KeyBoundCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        Bytes k = Bytes.of(Objects.requireNonNull(key, "key"));
        return get(k).map(value -> codec.decode(k, value));
    }

    @Override
    public long rev(Bytes key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        return read(key).map(KeyValue::modRevision).orElse(0L);
    }

    @Override
    public long rev(String key) {
        return rev(Bytes.of(Objects.requireNonNull(key, "key")));
    }

    @Override
    public void put(Bytes key, Bytes value) {
        checkOpen();
        Put put = Put.of(key, value); // validates the key now, where the caller can see which one
        writes.put(key, new Write(Optional.of(value), put));
    }

    @Override
    public void put(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        put(Bytes.of(key), Bytes.of(value));
    }

    @Override
    public <T> void put(String key, T value, ValueCodec<T> codec) {
        put(key, value, KeyBoundCodec.ignoringKey(codec));
    }

    @Override
    public <T> void put(String key, T value, KeyBoundCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        Bytes k = Bytes.of(Objects.requireNonNull(key, "key"));
        put(k, codec.encode(k, value));
    }

    @Override
    public void delete(Bytes key) {
        checkOpen();
        Delete delete = Delete.key(key);
        writes.put(key, new Write(Optional.empty(), delete));
    }

    @Override
    public void delete(String key) {
        delete(Bytes.of(Objects.requireNonNull(key, "key")));
    }

    // ---- reads --------------------------------------------------------------------------------------------

    private Optional<KeyValue> read(Bytes key) {
        boolean caching = isolation != Isolation.READ_COMMITTED;
        if (caching) {
            Optional<KeyValue> cached = reads.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Optional<KeyValue> value;
        if (prefetched.containsKey(key)) {
            value = replaying ? prefetched.get(key) : prefetched.remove(key);
        } else if (replaying) {
            missing = key;
            throw new ReadPending(key);
        } else {
            Range range = Range.key(key);
            if (pinned() && snapshotRevision > 0) {
                range = range.atRevision(snapshotRevision);
            }
            RangeResult result;
            try {
                result = kv.range(range);
            } catch (CompactedException e) {
                snapshotLost = true; // the run re-runs the function on a new snapshot, whatever it does with this
                throw e;
            }
            if (pinned() && snapshotRevision == 0) {
                snapshotRevision = result.revision();
            }
            value = result.first();
        }
        if (caching) {
            reads.put(key, value);
        }
        return value;
    }

    private boolean pinned() {
        return isolation == Isolation.SERIALIZABLE_SNAPSHOT || isolation == Isolation.SERIALIZABLE;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("this StmTxn belongs to an attempt that has ended; use it only inside "
                    + "the function passed to Stm.run, and do not keep it");
        }
    }

    // ---- commit -------------------------------------------------------------------------------------------

    /** Ends the attempt: the txn refuses further use. */
    void finish() {
        finished = true;
    }

    /** The key a replayed attempt needed and did not know, or null. */
    Bytes missing() {
        return missing;
    }

    /** Whether reads are pinned to one snapshot revision. */
    boolean pinnedReads() {
        return pinned();
    }

    /** Whether a pinned read found its snapshot revision compacted away: the attempt cannot commit. */
    boolean snapshotLost() {
        return snapshotLost;
    }

    /** The keys this attempt writes, in the order first written. */
    List<Bytes> writtenKeys() {
        return List.copyOf(writes.keySet());
    }

    /**
     * The commit: the isolation level's compares, the writes in the then branch, and reads of the read set in
     * the else branch for the next attempt. Null when there is nothing to write and nothing to check.
     */
    Transaction commitTransaction() {
        List<Compare> compares = compares();
        if (compares.isEmpty() && writes.isEmpty()) {
            return null;
        }
        List<Op> thenOps = new ArrayList<>();
        writes.values().forEach(w -> thenOps.add(w.op()));
        List<Op> elseOps = new ArrayList<>();
        if (!compares.isEmpty()) {
            reads.keySet().forEach(k -> elseOps.add(Range.key(k)));
        }
        return Transaction.when(compares).then(thenOps).otherwise(elseOps);
    }

    private List<Compare> compares() {
        List<Compare> compares = new ArrayList<>();
        if (isolation == Isolation.READ_COMMITTED) {
            return compares;
        }
        reads.forEach((key, kv) -> compares.add(
                Compare.modRevision(key).equalTo(kv.map(KeyValue::modRevision).orElse(0L))));
        if (isolation == Isolation.SERIALIZABLE_SNAPSHOT && snapshotRevision > 0) {
            // Nobody may have written a key we write after our snapshot, even if we did not read it.
            writes.keySet().forEach(key -> compares.add(Compare.modRevision(key).lessThan(snapshotRevision + 1)));
        }
        return compares;
    }

    /** The read set as the else branch of the failed commit {@code result} saw it. */
    Prefetch prefetchFrom(TxnResult result) {
        Map<Bytes, Optional<KeyValue>> kvs = new LinkedHashMap<>();
        int i = 0;
        for (Bytes key : reads.keySet()) {
            kvs.put(key, result.rangeResult(i++).first());
        }
        return new Prefetch(kvs, result.revision());
    }

    /** The keys read whose modification revision differs in {@code now}. */
    List<Bytes> changedKeys(Prefetch now) {
        List<Bytes> changed = new ArrayList<>();
        reads.forEach((key, kv) -> {
            long before = kv.map(KeyValue::modRevision).orElse(0L);
            long after = now.kvs().getOrDefault(key, Optional.empty()).map(KeyValue::modRevision).orElse(0L);
            if (before != after) {
                changed.add(key);
            }
        });
        return changed;
    }
}
