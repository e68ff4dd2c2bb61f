package io.etcdkit.internal.kv;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcdkit.EtcdClient;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.DefaultEtcdClient;
import java.util.concurrent.CompletableFuture;

/** Compaction for KV tests, independent of the maintenance API. */
public final class CompactForTests {
    private CompactForTests() {}

    /** Compacts history up to {@code revision}, physically. */
    public static CompletableFuture<?> compact(EtcdClient client, long revision) {
        var ctx = ((DefaultEtcdClient) client).context();
        return ctx.transport().call(KVGrpc.getCompactMethod(),
                CompactionRequest.newBuilder().setRevision(revision).setPhysical(true).build(), CallKind.WRITE,
                ctx.deadline(), () -> "compact");
    }
}
