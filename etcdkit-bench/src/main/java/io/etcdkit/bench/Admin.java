package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Housekeeping between phases, on its own connection (a separate jetcd client, never one under test): delete
 * a workload's keys, compact the history and defragment every member so each phase starts from the same server
 * state; preload the keys that read workloads need.
 */
final class Admin implements AutoCloseable {
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
        ByteSequence prefix = ByteSequence.from(keys.prefixBytes());
        kv.delete(prefix, DeleteOption.builder().isPrefix(true).build()).get(60, TimeUnit.SECONDS);
        long revision = kv.get(prefix, GetOption.builder().withCountOnly(true).build()).get(60, TimeUnit.SECONDS)
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

    /** Writes the value at every key of the key space, 64 puts in flight. */
    void preload(KeySpace keys) throws Exception {
        Semaphore permits = new Semaphore(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ByteSequence value = ByteSequence.from(keys.value());
        for (int i = 0; i < keys.size() && failure.get() == null; i++) {
            permits.acquire();
            kv.put(ByteSequence.from(keys.key(i)), value).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(64, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("preloading " + keys.prefix() + " did not finish in 120 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + keys.prefix() + " failed: " + failure.get(), failure.get());
        }
        GetResponse count = kv.get(ByteSequence.from(keys.prefixBytes()),
                GetOption.builder().isPrefix(true).withCountOnly(true).build()).get(60, TimeUnit.SECONDS);
        if (count.getCount() != keys.size()) {
            throw new IllegalStateException("preloaded " + keys.size() + " keys under " + keys.prefix() + " but "
                    + count.getCount() + " are there");
        }
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
