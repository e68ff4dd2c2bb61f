package io.etcdkit.internal.kv;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.ByteStrings;
import io.etcdkit.internal.Namespace;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.DeleteResult;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.OpResult;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts etcdkit's request and result values to and from etcd's wire messages, applying a namespace.
 */
public final class KvProtos {
    /** etcd's Compare.target value LEASE and the Compare.lease field number, absent from the jetcd stubs. */
    private static final int COMPARE_TARGET_LEASE = 4;
    private static final int COMPARE_LEASE_FIELD = 8;

    private final Namespace ns;

    /** Converts within namespace {@code ns}. */
    public KvProtos(Namespace ns) {
        this.ns = ns;
    }

    /** The wire request for a range read. */
    public RangeRequest range(Range r) {
        Bytes end = r.end().orElse(null);
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(ns.rangeStart(r.key(), end));
        if (end != null) {
            b.setRangeEnd(ns.rangeEnd(end));
        }
        if (r.limitValue() > 0) {
            b.setLimit(r.limitValue());
        }
        if (r.sortTarget().isPresent()) {
            b.setSortTarget(switch (r.sortTarget().get()) {
                case KEY -> RangeRequest.SortTarget.KEY;
                case VERSION -> RangeRequest.SortTarget.VERSION;
                case CREATE_REVISION -> RangeRequest.SortTarget.CREATE;
                case MOD_REVISION -> RangeRequest.SortTarget.MOD;
                case VALUE -> RangeRequest.SortTarget.VALUE;
            });
            b.setSortOrder(r.sortOrder().orElse(io.etcdkit.kv.SortOrder.ASCEND) == io.etcdkit.kv.SortOrder.ASCEND
                    ? RangeRequest.SortOrder.ASCEND : RangeRequest.SortOrder.DESCEND);
        }
        if (r.revision() > 0) {
            b.setRevision(r.revision());
        }
        if (r.isSerializable()) {
            b.setSerializable(true);
        }
        if (r.isKeysOnly()) {
            b.setKeysOnly(true);
        }
        if (r.isCountOnly()) {
            b.setCountOnly(true);
        }
        if (r.minCreateRevisionValue() > 0) {
            b.setMinCreateRevision(r.minCreateRevisionValue());
        }
        if (r.maxCreateRevisionValue() > 0) {
            b.setMaxCreateRevision(r.maxCreateRevisionValue());
        }
        if (r.minModRevisionValue() > 0) {
            b.setMinModRevision(r.minModRevisionValue());
        }
        if (r.maxModRevisionValue() > 0) {
            b.setMaxModRevision(r.maxModRevisionValue());
        }
        return b.build();
    }

    /** The wire request for a put. */
    public PutRequest put(Put p) {
        PutRequest.Builder b = PutRequest.newBuilder().setKey(ns.key(p.key())).setValue(ByteStrings.of(p.value()));
        if (p.leaseId() != 0) {
            b.setLease(p.leaseId());
        }
        if (p.returnsPrevious()) {
            b.setPrevKv(true);
        }
        if (p.keepsValue()) {
            b.setIgnoreValue(true);
        }
        if (p.keepsLease()) {
            b.setIgnoreLease(true);
        }
        return b.build();
    }

    /** The wire request for a delete. */
    public DeleteRangeRequest delete(Delete d) {
        Bytes end = d.end().orElse(null);
        DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder().setKey(ns.rangeStart(d.key(), end));
        if (end != null) {
            b.setRangeEnd(ns.rangeEnd(end));
        }
        if (d.returnsPrevious()) {
            b.setPrevKv(true);
        }
        return b.build();
    }

    /** The wire request for a transaction. */
    public TxnRequest txn(Transaction t) {
        TxnRequest.Builder b = TxnRequest.newBuilder();
        for (Compare c : t.compares()) {
            b.addCompare(compare(c));
        }
        for (Op op : t.thenOps()) {
            b.addSuccess(op(op));
        }
        for (Op op : t.otherwiseOps()) {
            b.addFailure(op(op));
        }
        return b.build();
    }

    private RequestOp op(Op op) {
        if (op instanceof Range r) {
            return RequestOp.newBuilder().setRequestRange(range(r)).build();
        } else if (op instanceof Put p) {
            return RequestOp.newBuilder().setRequestPut(put(p)).build();
        } else if (op instanceof Delete d) {
            return RequestOp.newBuilder().setRequestDeleteRange(delete(d)).build();
        } else {
            return RequestOp.newBuilder().setRequestTxn(txn((Transaction) op)).build();
        }
    }

    private io.etcd.jetcd.api.Compare compare(Compare c) {
        io.etcd.jetcd.api.Compare.Builder b = io.etcd.jetcd.api.Compare.newBuilder().setKey(ns.key(c.key()));
        switch (c.operator()) {
            case EQUAL -> b.setResult(io.etcd.jetcd.api.Compare.CompareResult.EQUAL);
            case NOT_EQUAL -> b.setResult(io.etcd.jetcd.api.Compare.CompareResult.NOT_EQUAL);
            case GREATER -> b.setResult(io.etcd.jetcd.api.Compare.CompareResult.GREATER);
            case LESS -> b.setResult(io.etcd.jetcd.api.Compare.CompareResult.LESS);
            default -> throw new IllegalStateException(c.operator().toString());
        }
        switch (c.target()) {
            case VALUE -> b.setTarget(io.etcd.jetcd.api.Compare.CompareTarget.VALUE)
                    .setValue(ByteStrings.of(c.value()));
            case VERSION -> b.setTarget(io.etcd.jetcd.api.Compare.CompareTarget.VERSION).setVersion(c.number());
            case CREATE_REVISION -> b.setTarget(io.etcd.jetcd.api.Compare.CompareTarget.CREATE)
                    .setCreateRevision(c.number());
            case MOD_REVISION -> b.setTarget(io.etcd.jetcd.api.Compare.CompareTarget.MOD)
                    .setModRevision(c.number());
            case LEASE -> b.setTargetValue(COMPARE_TARGET_LEASE).setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(COMPARE_LEASE_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(c.number()).build())
                    .build());
            default -> throw new IllegalStateException(c.target().toString());
        }
        return b.build();
    }

    /** A key-value from the wire, relative to the namespace. */
    public KeyValue keyValue(io.etcd.jetcd.api.KeyValue kv) {
        return new KeyValue(ns.strip(kv.getKey()), ByteStrings.bytes(kv.getValue()), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    private List<KeyValue> keyValues(List<io.etcd.jetcd.api.KeyValue> kvs) {
        List<KeyValue> out = new ArrayList<>(kvs.size());
        for (io.etcd.jetcd.api.KeyValue kv : kvs) {
            out.add(keyValue(kv));
        }
        return out;
    }

    /** A range result from the wire; {@code revision} overrides the header's (for results inside a txn). */
    public RangeResult rangeResult(RangeResponse r, long revision) {
        return new RangeResult(keyValues(r.getKvsList()), r.getCount(), r.getMore(),
                revision > 0 ? revision : r.getHeader().getRevision());
    }

    /** A put result from the wire. */
    public PutResult putResult(PutResponse r, long revision) {
        return new PutResult(revision > 0 ? revision : r.getHeader().getRevision(),
                r.hasPrevKv() ? Optional.of(keyValue(r.getPrevKv())) : Optional.empty());
    }

    /** A delete result from the wire. */
    public DeleteResult deleteResult(DeleteRangeResponse r, long revision) {
        return new DeleteResult(revision > 0 ? revision : r.getHeader().getRevision(), r.getDeleted(),
                keyValues(r.getPrevKvsList()));
    }

    /** A transaction result from the wire. */
    public TxnResult txnResult(TxnResponse r, long revision) {
        long rev = revision > 0 ? revision : r.getHeader().getRevision();
        List<OpResult> results = new ArrayList<>(r.getResponsesCount());
        for (ResponseOp op : r.getResponsesList()) {
            results.add(switch (op.getResponseCase()) {
                case RESPONSE_RANGE -> rangeResult(op.getResponseRange(), rev);
                case RESPONSE_PUT -> putResult(op.getResponsePut(), rev);
                case RESPONSE_DELETE_RANGE -> deleteResult(op.getResponseDeleteRange(), rev);
                case RESPONSE_TXN -> txnResult(op.getResponseTxn(), rev);
                default -> throw new IllegalStateException("unknown transaction response " + op.getResponseCase());
            });
        }
        return new TxnResult(r.getSucceeded(), rev, results);
    }
}
