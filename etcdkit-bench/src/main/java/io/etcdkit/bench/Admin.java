package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.op.Op;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Housekeeping between phases, on its own connection (a separate jetcd client, never one under test): delete
 * a workload's keys, compact the history and defragment every member so each phase starts from the same server
 * state; preload the keys that read workloads need; count and write single keys for the benches' checks.
 */
final class Admin implements AutoCloseable {
    private static final int PRELOAD_BATCH = 100;
    private static final int PRELOAD_IN_FLIGHT = 16;

    private final List<String> endpoints;
    private final Client client;
    private final KV kv;

    Admin(List<String> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new)).build();
        this.kv = client.getKVClient();
    }

    /** Deletes every key under the key space's prefix, compacts away all history and defragments. */
    void reset(KeySpace keys) throws Exception {
        reset(keys.prefix());
    }

    /** Deletes every key under {@code prefix}, compacts away all history and defragments every member. */
    void reset(String prefix) throws Exception {
        ByteSequence p = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        kv.delete(p, DeleteOption.builder().isPrefix(true).build()).get(60, TimeUnit.SECONDS);
        long revision = kv.get(p, GetOption.builder().withCountOnly(true).build()).get(60, TimeUnit.SECONDS)
                .getHeader().getRevision();
        try {
            kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()).get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!String.valueOf(e.getCause().getMessage()).contains("compacted")) {
                throw e;
            }
        }
        for (String endpoint : endpoints) {
            client.getMaintenanceClient().defragmentMember(endpoint).get(120, TimeUnit.SECONDS);
        }
    }

    /**
     * Writes the value at every key of the key space, in transactions of 100 puts, 16 in flight, and checks that
     * they are all there. Returns the lowest revision written (each transaction is one revision).
     */
    long preload(KeySpace keys) throws Exception {
        Semaphore permits = new Semaphore(PRELOAD_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong firstRevision = new AtomicLong(Long.MAX_VALUE);
        ByteSequence value = ByteSequence.from(keys.value());
        for (int i = 0; i < keys.size() && failure.get() == null; i += PRELOAD_BATCH) {
            Op[] puts = new Op[Math.min(PRELOAD_BATCH, keys.size() - i)];
            for (int j = 0; j < puts.length; j++) {
                puts[j] = Op.put(ByteSequence.from(keys.key(i + j)), value, PutOption.DEFAULT);
            }
            permits.acquire();
            kv.txn().Then(puts).commit().whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    firstRevision.accumulateAndGet(r.getHeader().getRevision(), Math::min);
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(PRELOAD_IN_FLIGHT, 300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("preloading " + keys.prefix() + " did not finish in 300 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + keys.prefix() + " failed: " + failure.get(), failure.get());
        }
        long count = count(keys.prefix());
        if (count != keys.size()) {
            throw new IllegalStateException("preloaded " + keys.size() + " keys under " + keys.prefix() + " but "
                    + count + " are there");
        }
        return firstRevision.get();
    }

    /** How many keys are under {@code prefix}. */
    long count(String prefix) throws Exception {
        GetResponse count = kv.get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
                GetOption.builder().isPrefix(true).withCountOnly(true).build()).get(60, TimeUnit.SECONDS);
        return count.getCount();
    }

    /** Deletes one key. */
    void delete(String key) throws Exception {
        kv.delete(ByteSequence.from(key, StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
    }

    /** Writes one key. */
    void put(String key, byte[] value) throws Exception {
        kv.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value)).get(60, TimeUnit.SECONDS);
    }

    /** The server version of the first member, e.g. {@code 3.4.23}. */
    String serverVersion() {
        try {
            return client.getMaintenanceClient().statusMember(endpoints.get(0)).get(30, TimeUnit.SECONDS).getVersion();
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
