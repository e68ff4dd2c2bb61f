package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * jetcd 0.8.5 with its default settings (the baseline), except one: responses up to 32 MiB are accepted (as by
 * etcdkit's default) instead of 4 MiB, because etcd sends a watcher the stored events it has to catch up on as
 * one response (200,000 events of 256 bytes are a 28 MB message), which jetcd's default refuses.
 */
final class JetcdTarget implements Target {
    /** The largest response accepted: etcdkit's default. */
    static final int MAX_INBOUND_MESSAGE_BYTES = 32 << 20;

    private final Client client;
    private final KV kv;

    JetcdTarget(List<String> endpoints) {
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES).build();
        this.kv = client.getKVClient();
    }

    @Override
    public String name() {
        return "jetcd";
    }

    @Override
    public Operation prepare(Workload workload, KeySpace keys) throws Exception {
        int n = keys.size();
        ByteSequence[] k = new ByteSequence[n];
        for (int i = 0; i < n; i++) {
            k[i] = ByteSequence.from(keys.key(i));
        }
        ByteSequence value = ByteSequence.from(keys.value());
        switch (workload) {
            case PUT:
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        return kv.put(k[(int) (i % n)], value);
                    }

                    @Override
                    public boolean expected(Object response) {
                        return true;
                    }
                };
            case RANGE_LINEARIZABLE:
            case RANGE_SERIALIZABLE:
                boolean serializable = workload == Workload.RANGE_SERIALIZABLE;
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        ByteSequence key = k[(int) (i % n)];
                        // the option object is built per call, as a caller would (etcdkit builds its Range too)
                        return serializable
                                ? kv.get(key, GetOption.builder().withSerializable(true).build())
                                : kv.get(key);
                    }

                    @Override
                    public boolean expected(Object response) {
                        return ((GetResponse) response).getCount() > 0;
                    }
                };
            case TXN_PUT:
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        ByteSequence key = k[(int) (i % n)];
                        return kv.txn()
                                .If(new Cmp(key, Cmp.Op.GREATER, CmpTarget.version(-1)))
                                .Then(Op.put(key, value, PutOption.DEFAULT))
                                .commit();
                    }

                    @Override
                    public boolean expected(Object response) {
                        return ((TxnResponse) response).isSucceeded();
                    }
                };
            case LEASE_KEEPALIVE:
                return keepAlive();
            case CACHE_READ:
                // jetcd has no watch-fed cache: what a jetcd application does instead is a serializable get
                return prepare(Workload.RANGE_SERIALIZABLE, keys);
            default:
                throw new UnsupportedOperationException(workload.id() + " is not an operation workload");
        }
    }

    /** One keep-alive ({@code Lease.keepAliveOnce}) of a lease granted for the workload (revoked at the end). */
    private Operation keepAlive() throws Exception {
        Lease leases = client.getLeaseClient();
        long id = leases.grant(600).get(30, TimeUnit.SECONDS).getID();
        return new Operation() {
            @Override
            public CompletableFuture<?> issue(long i) {
                return leases.keepAliveOnce(id);
            }

            @Override
            public boolean expected(Object response) {
                return ((LeaseKeepAliveResponse) response).getTTL() > 0;
            }

            @Override
            public void close() throws Exception {
                leases.revoke(id).get(30, TimeUnit.SECONDS);
            }
        };
    }

    /** The client (for the workloads that drive it directly). */
    Client client() {
        return client;
    }

    @Override
    public void verify(byte[] key, byte[] value) throws Exception {
        ByteSequence k = ByteSequence.from(key);
        kv.put(k, ByteSequence.from(value)).get(30, TimeUnit.SECONDS);
        GetResponse read = kv.get(k).get(30, TimeUnit.SECONDS);
        if (read.getKvs().isEmpty() || !Arrays.equals(read.getKvs().get(0).getValue().getBytes(), value)) {
            throw new IllegalStateException("jetcd read back " + read.getKvs() + " after a put");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
