package io.etcdkit.internal.kv;

import io.etcd.jetcd.api.KVGrpc;
import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ClientConfig;
import io.etcdkit.internal.ClientContext;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The {@link Kv} of a client view: converts requests within the view's namespace and runs them on the shared
 * transport with the view's deadline.
 */
public final class DefaultKv implements Kv {
    /** Batches a default bulk loader keeps outstanding: enough to keep etcd busy while the next is built. */
    static final int DEFAULT_BULK_IN_FLIGHT = 4;
    private final ClientContext ctx;
    private final Transport transport;
    private final KvProtos protos;

    /** The KV of the view {@code ctx}. */
    public DefaultKv(ClientContext ctx) {
        this.ctx = ctx;
        this.transport = ctx.transport();
        this.protos = new KvProtos(ctx.namespace());
    }

    /** The converter of this view, shared with other services of the view. */
    public KvProtos protos() {
        return protos;
    }

    @Override
    public CompletableFuture<RangeResult> rangeAsync(Range range) {
        return transport.call(KVGrpc.getRangeMethod(), protos.range(range),
                range.isSerializable() ? CallKind.LOCAL_READ : CallKind.READ, ctx.deadline(),
                () -> "read of " + range).thenApply(r -> protos.rangeResult(r, 0));
    }

    @Override
    public CompletableFuture<PutResult> putAsync(Put put) {
        return transport.call(KVGrpc.getPutMethod(), protos.put(put), CallKind.WRITE, ctx.deadline(),
                put::toString).thenApply(r -> protos.putResult(r, 0));
    }

    @Override
    public CompletableFuture<DeleteResult> deleteAsync(Delete delete) {
        return transport.call(KVGrpc.getDeleteRangeMethod(), protos.delete(delete), CallKind.WRITE, ctx.deadline(),
                delete::toString).thenApply(r -> protos.deleteResult(r, 0));
    }

    @Override
    public CompletableFuture<TxnResult> commitAsync(Transaction txn) {
        int ops = txn.operationCount();
        int limit = transport.config().maxTxnOps();
        if (ops > limit) {
            return Futures.failed(tooMany(ops, limit));
        }
        CallKind kind = readOnly(txn) ? CallKind.READ : CallKind.WRITE;
        return transport.call(KVGrpc.getTxnMethod(), protos.txn(txn), kind, ctx.deadline(), txn::toString)
                .thenApply(r -> protos.txnResult(r, 0));
    }

    private static TooManyOperationsException tooMany(int ops, int limit) {
        return new TooManyOperationsException("the transaction has " + ops + " operations but the server allows "
                + "at most " + limit + " per transaction (etcd --max-txn-ops; tell the client with "
                + "maxTxnOps(..) if the server's limit differs). Nothing was sent; split the batch or use "
                + "kv.bulkLoader(..)");
    }

    private static boolean readOnly(Transaction txn) {
        return readOnly(txn.thenOps()) && readOnly(txn.otherwiseOps());
    }

    private static boolean readOnly(List<Op> ops) {
        for (Op op : ops) {
            if (op instanceof Put || op instanceof Delete) {
                return false;
            }
            if (op instanceof Transaction t && !readOnly(t)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Stream<KeyValue> scan(Range range, int pageSize) {
        return PagedScan.stream(this, range, pageSize);
    }

    @Override
    public List<Bytes> keysMatching(String glob) {
        Glob g = Glob.parse(glob);
        try (Stream<KeyValue> s = scan(Range.prefix(g.literalPrefix()).keysOnly(), 5000)) {
            return s.map(KeyValue::key).filter(k -> g.matches(k.toStringUtf8())).toList();
        }
    }

    @Override
    public CompletableFuture<Boolean> moveAsync(Bytes from, Bytes to) {
        if (from.equals(to)) {
            return Futures.failed(new InvalidArgumentException("cannot move key '" + from + "' onto itself"));
        }
        Range.key(to); // validates
        return getAsync(from).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            KeyValue kv = current.get();
            Put put = Put.of(to, kv.value());
            if (kv.lease() != 0) {
                put = put.lease(kv.lease());
            }
            return commitAsync(Transaction
                    .when(Compare.modRevision(from).equalTo(kv.modRevision()), Compare.absent(to))
                    .then(put, Delete.key(from))).thenApply(TxnResult::succeeded);
        });
    }

    @Override
    public CompletableFuture<Long> putAllAsync(Map<Bytes, Bytes> entries) {
        List<Op> puts = new ArrayList<>(entries.size());
        for (Map.Entry<Bytes, Bytes> e : entries.entrySet()) {
            puts.add(Put.of(e.getKey(), e.getValue()));
        }
        if (puts.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidArgumentException("putAll was given no entries"));
        }
        return commitAsync(Transaction.always(puts.toArray(new Op[0]))).thenApply(TxnResult::revision);
    }

    @Override
    public CompletableFuture<Long> deleteAllAsync(Collection<Bytes> keys) {
        List<Op> deletes = new ArrayList<>(keys.size());
        for (Bytes k : keys) {
            deletes.add(Delete.key(k));
        }
        if (deletes.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        return commitAsync(Transaction.always(deletes.toArray(new Op[0]))).thenApply(r -> {
            long n = 0;
            for (OpResult o : r.results()) {
                n += ((DeleteResult) o).deleted();
            }
            return n;
        });
    }

    @Override
    public BulkLoader bulkLoader(int batchSize, int maxInFlight) {
        int limit = transport.config().maxTxnOps();
        if (batchSize < 1 || batchSize > limit) {
            throw new InvalidArgumentException("batchSize must be between 1 and the server's per-transaction "
                    + "limit " + limit + " (etcd --max-txn-ops), got " + batchSize);
        }
        if (maxInFlight < 1) {
            throw new InvalidArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        ClientConfig config = transport.config();
        return new ChunkedBulkLoader(this, batchSize, maxInFlight,
                Math.min(config.maxRequestBytes(), config.maxOutboundMessageSize()));
    }

    @Override
    public BulkLoader bulkLoader() {
        return bulkLoader(transport.config().maxTxnOps(), DEFAULT_BULK_IN_FLIGHT);
    }
}
