package io.etcdkit.internal.encrypt;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.BulkLoader;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.DeleteResult;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.OpResult;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The KV of an encrypted client view: every value written is sealed, every value read is opened (a value that
 * does not decrypt fails the read with a {@link io.etcdkit.codec.DecryptionException}), and transactions that
 * compare values are refused. Keys, revisions, leases and counts are unchanged.
 */
final class EncryptedKv implements Kv {
    private final Kv kv;
    private final ValueSeal seal;

    EncryptedKv(Kv kv, ValueSeal seal) {
        this.kv = kv;
        this.seal = seal;
    }

    @Override
    public CompletableFuture<RangeResult> rangeAsync(Range range) {
        return kv.rangeAsync(range).thenApply(this::open);
    }

    private RangeResult open(RangeResult r) {
        return new RangeResult(seal.open(r.kvs()), r.count(), r.more(), r.revision());
    }

    @Override
    public Stream<KeyValue> scan(Range range, int pageSize) {
        return kv.scan(range, pageSize).map(seal::open);
    }

    @Override
    public List<Bytes> keysMatching(String glob) {
        return kv.keysMatching(glob);
    }

    @Override
    public CompletableFuture<PutResult> putAsync(Put put) {
        Put sealed;
        try {
            sealed = seal(put);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return kv.putAsync(sealed).thenApply(this::open);
    }

    private Put seal(Put put) {
        if (put.keepsValue()) {
            return put;
        }
        Put p = Put.of(put.key(), seal.seal(put.key(), put.value()));
        if (put.leaseId() > 0) {
            p = p.lease(put.leaseId());
        }
        if (put.keepsLease()) {
            p = p.keepLease();
        }
        return put.returnsPrevious() ? p.withPreviousValue() : p;
    }

    private PutResult open(PutResult r) {
        return new PutResult(r.revision(), seal.open(r.previous()));
    }

    @Override
    public CompletableFuture<DeleteResult> deleteAsync(Delete delete) {
        return kv.deleteAsync(delete).thenApply(this::open);
    }

    private DeleteResult open(DeleteResult r) {
        return new DeleteResult(r.revision(), r.deleted(), seal.open(r.previous()));
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Transaction txn) {
        Transaction sealed;
        try {
            sealed = seal(txn);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return kv.commitAsync(sealed).thenApply(this::open);
    }

    private Transaction seal(Transaction txn) {
        List<Compare> compares = txn.compares().stream().map(ValueSeal::check).toList();
        return Transaction.when(compares).then(seal(txn.thenOps())).otherwise(seal(txn.otherwiseOps()));
    }

    private List<Op> seal(List<Op> ops) {
        List<Op> out = new ArrayList<>(ops.size());
        for (Op op : ops) {
            if (op instanceof Put p) {
                out.add(seal(p));
            } else if (op instanceof Transaction t) {
                out.add(seal(t));
            } else {
                out.add(op); // ranges and deletes carry no value
            }
        }
        return out;
    }

    private TxnResult open(TxnResult r) {
        List<OpResult> results = new ArrayList<>(r.results().size());
        for (OpResult o : r.results()) {
            if (o instanceof RangeResult range) {
                results.add(open(range));
            } else if (o instanceof PutResult put) {
                results.add(open(put));
            } else if (o instanceof DeleteResult delete) {
                results.add(open(delete));
            } else {
                results.add(open((TxnResult) o));
            }
        }
        return new TxnResult(r.succeeded(), r.revision(), results);
    }

    /** Reads, re-seals for the new key and moves in one transaction guarded by the mod revision read. */
    @Override
    public CompletableFuture<Boolean> moveAsync(Bytes from, Bytes to) {
        return getAsync(from).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            KeyValue kv = current.get();
            Put put = Put.of(to, kv.value());
            Transaction txn = Transaction.when(Compare.modRevision(from).equalTo(kv.modRevision()),
                    Compare.absent(to)).then(Delete.key(from), kv.lease() > 0 ? put.lease(kv.lease()) : put);
            return commitAsync(txn).thenApply(TxnResult::succeeded);
        });
    }

    @Override
    public CompletableFuture<Long> putAllAsync(Map<Bytes, Bytes> entries) {
        Map<Bytes, Bytes> sealed = new LinkedHashMap<>();
        try {
            entries.forEach((k, v) -> sealed.put(k, seal.seal(k, v)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return kv.putAllAsync(sealed);
    }

    @Override
    public CompletableFuture<Long> deleteAllAsync(Collection<Bytes> keys) {
        return kv.deleteAllAsync(keys);
    }

    @Override
    public BulkLoader bulkLoader(int batchSize, int maxInFlight) {
        return sealing(kv.bulkLoader(batchSize, maxInFlight));
    }

    @Override
    public BulkLoader bulkLoader() {
        return sealing(kv.bulkLoader());
    }

    private BulkLoader sealing(BulkLoader loader) {
        return new BulkLoader() {
            @Override
            public long load(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
                return loader.load(sealed(entries));
            }

            @Override
            public CompletableFuture<Long> loadAsync(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
                return loader.loadAsync(sealed(entries));
            }
        };
    }

    private Iterator<Map.Entry<Bytes, Bytes>> sealed(Iterator<? extends Map.Entry<Bytes, Bytes>> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Map.Entry<Bytes, Bytes> next() {
                Map.Entry<? extends Bytes, ? extends Bytes> e = entries.next();
                return Map.entry(e.getKey(), seal.seal(e.getKey(), e.getValue()));
            }
        };
    }
}
