package io.etcdkit.internal.encrypt;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.auth.Auth;
import io.etcdkit.cluster.Cluster;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.kv.Kv;
import io.etcdkit.lease.Leases;
import io.etcdkit.cluster.Maintenance;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.Watches;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@link EtcdClient#withEncryption}: a view of a client whose KV and watches encrypt and decrypt values with a key
 * ring; leases, cluster, maintenance and auth are the underlying client's. Derived views (namespace, deadline)
 * stay encrypted. Closing it does nothing, like every view.
 */
public final class EncryptedClient implements EtcdClient {
    private final EtcdClient client;
    private final ValueSeal seal;
    private final Kv kv;
    private final Watches watches;

    private EncryptedClient(EtcdClient client, KeyRing keys) {
        this.client = client;
        this.seal = new ValueSeal(keys, client.namespace());
        this.kv = new EncryptedKv(client.kv(), seal);
        this.watches = new EncryptedWatches(client.watches(), seal);
    }

    /**
     * The encrypted view of {@code client}; of an encrypted view, the same view with {@code keys} instead.
     *
     * @param client the client
     * @param keys the key ring
     * @return the view
     */
    public static EtcdClient of(EtcdClient client, KeyRing keys) {
        Objects.requireNonNull(keys, "keys");
        EtcdClient plain = client instanceof EncryptedClient e ? e.client : client;
        return new EncryptedClient(plain, keys);
    }

    /**
     * The key ring of this view.
     *
     * @return the key ring
     */
    public KeyRing keyRing() {
        return seal.keyRing();
    }

    @Override
    public Kv kv() {
        return kv;
    }

    @Override
    public Watches watches() {
        return watches;
    }

    @Override
    public Leases leases() {
        return client.leases();
    }

    @Override
    public Cluster cluster() {
        return client.cluster();
    }

    @Override
    public Maintenance maintenance() {
        return client.maintenance();
    }

    @Override
    public Auth auth() {
        return client.auth();
    }

    @Override
    public EtcdClient withNamespace(String prefix) {
        return new EncryptedClient(client.withNamespace(prefix), seal.keyRing());
    }

    @Override
    public EtcdClient withNamespace(Bytes prefix) {
        return new EncryptedClient(client.withNamespace(prefix), seal.keyRing());
    }

    @Override
    public EtcdClient withDeadline(Duration deadline) {
        return new EncryptedClient(client.withDeadline(deadline), seal.keyRing());
    }

    @Override
    public EtcdClient withEncryption(KeyRing keys) {
        return of(client, keys);
    }

    @Override
    public List<String> endpoints() {
        return client.endpoints();
    }

    @Override
    public Bytes namespace() {
        return client.namespace();
    }

    @Override
    public EtcdListener listener() {
        return client.listener();
    }

    @Override
    public Duration deadline() {
        return client.deadline();
    }

    @Override
    public int maxTxnOps() {
        return client.maxTxnOps();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        return client.unwrap(type);
    }

    /** Does nothing: a view does not own the connections. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "encrypted view (key ring " + seal.keyRing().keyIds() + ") of " + client;
    }
}
