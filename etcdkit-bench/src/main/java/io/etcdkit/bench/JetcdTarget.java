package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
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

/** jetcd 0.8.5 with its default settings (the baseline). */
final class JetcdTarget implements Target {
    private final Client client;
    private final KV kv;

    JetcdTarget(List<String> endpoints) {
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
        this.kv = client.getKVClient();
    }

    @Override
    public String name() {
        return "jetcd";
    }

    @Override
    public Operation prepare(Workload workload, KeySpace keys) {
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
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
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
