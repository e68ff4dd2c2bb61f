package io.etcdkit;

import io.etcdkit.auth.Auth;
import io.etcdkit.cluster.Cluster;
import io.etcdkit.cluster.Maintenance;
import io.etcdkit.kv.Kv;
import io.etcdkit.lease.Leases;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.Watches;
import java.time.Duration;
import java.util.List;

/**
 * A connection to an etcd v3 cluster: the front door of etcdkit.
 *
 * <pre>{@code
 * try (EtcdClient client = EtcdClient.builder().endpoints("http://127.0.0.1:2379").build()) {
 *     client.kv().put("config/mode", "fast");
 *     String mode = client.kv().get("config/mode").map(KeyValue::valueAsString).orElse("default");
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> A client is immutable and thread-safe; share one per cluster. {@link #withNamespace}
 * and {@link #withDeadline} derive cheap views that share the connections; closing the root client closes
 * every view, and closing a view does nothing.
 *
 * <p><b>Failures.</b> Every call has a deadline (10 s unless configured). Reads are retried on other members
 * after transient failures. Writes are retried only when they surely were not applied; otherwise they fail with
 * {@link OutcomeUnknownException}, never applied twice silently. All errors are {@link EtcdException}
 * subclasses with a message that says what to do.
 */
public interface EtcdClient extends AutoCloseable {

    /**
     * A builder with defaults: endpoints from {@code ETCD_ENDPOINTS} or {@code http://127.0.0.1:2379}.
     *
     * @return a builder with defaults: endpoints from {@code ETCD_ENDPOINTS} or {@code http://127.0.0.1:2379}
     */
    static EtcdClientBuilder builder() {
        return new EtcdClientBuilder();
    }

    /**
     * Keys, ranges, transactions and the atomic helpers.
     *
     * @return the kv
     */
    Kv kv();

    /**
     * Watches of keys, prefixes and ranges, and snapshot-then-watch subscriptions.
     *
     * @return the watches
     */
    Watches watches();

    /**
     * Leases: grant, revoke, time-to-live and keep-alive.
     *
     * @return the leases
     */
    Leases leases();

    /**
     * Cluster membership.
     *
     * @return the cluster
     */
    Cluster cluster();

    /**
     * Member status, alarms, compaction, defragmentation, hashes and snapshots.
     *
     * @return the maintenance
     */
    Maintenance maintenance();

    /**
     * Authentication and role administration.
     *
     * @return the auth
     */
    Auth auth();

    /**
     * A view whose keys are all under {@code prefix}: keys given to it are prefixed, keys it returns are
     * relative. Namespaces nest. Shares this client's connections.
     *
     * @param prefix the key prefix
     * @return a view whose keys are all under {@code prefix}: keys given to it are prefixed, keys it returns are relative
     */
    EtcdClient withNamespace(String prefix);

    /**
     * Binary form of {@link #withNamespace(String)}.
     *
     * @param prefix the key prefix
     * @return a {@code EtcdClient} that binary form of {@link #withNamespace(String)}
     */
    EtcdClient withNamespace(Bytes prefix);

    /**
     * A view that encrypts every value it writes and decrypts every value it reads with {@code keys} (AES-256-GCM,
     * each value bound to its full etcd key name, as {@link io.etcdkit.codec.EncryptedCodec} does): its KV,
     * transactions, watches and subscriptions, and so every recipe built on it. Keys, revisions and leases stay in
     * the clear. Shares this client's connections; its namespace and deadline views stay encrypted; of an
     * encrypted view, the same view with {@code keys} instead.
     *
     * <p>A value that does not decrypt (written in the clear, with a key the ring lacks, or tampered with) is a
     * {@link io.etcdkit.codec.DecryptionException}, never returned as bytes; a watch ends with it in an
     * {@link io.etcdkit.watch.EndedEvent}. A transaction that compares a value is refused with an
     * {@link InvalidArgumentException} (ciphertexts have random nonces: compare the mod revision instead). An
     * empty stored value reads as empty. Through a plain view the stored values are envelopes, recognisable with
     * {@link io.etcdkit.codec.EncryptedCodec#isEncrypted(Bytes)}.
     *
     * @param keys the key ring: its current key encrypts, every key it holds decrypts
     * @return the encrypted view
     */
    default EtcdClient withEncryption(io.etcdkit.codec.KeyRing keys) {
        return io.etcdkit.internal.encrypt.EncryptedClient.of(this, keys);
    }

    /**
     * A view whose calls have {@code deadline} by default. Shares this client's connections.
     *
     * @param deadline the deadline of each call
     * @return a view whose calls have {@code deadline} by default
     */
    EtcdClient withDeadline(Duration deadline);

    /**
     * The endpoints the client uses, as URLs: the configured ones, or with
     * {@link EtcdClientBuilder#autoSyncInterval(java.time.Duration) endpoint auto-sync} the client URLs of the
     * cluster's members as last read.
     *
     * @return the endpoints the client uses, as URLs
     */
    List<String> endpoints();

    /**
     * This view's namespace prefix (empty for none).
     *
     * @return this view's namespace prefix (empty for none)
     */
    Bytes namespace();

    /**
     * The listener this client was built with (all of them, as one), or {@link EtcdListener#NONE}. Recipes
     * report their own figures through it; calling it never throws.
     *
     * @return the listener this client was built with (all of them, as one), or {@link EtcdListener#NONE}
     */
    EtcdListener listener();

    /**
     * This view's default call deadline.
     *
     * @return this view's default call deadline
     */
    Duration deadline();

    /**
     * The most operations one transaction branch may hold, as configured with
     * {@link EtcdClientBuilder#maxTxnOps(int)} (128 by default, etcd's own default {@code --max-txn-ops}). Larger
     * transactions fail with {@link TooManyOperationsException} before anything is sent.
     *
     * @return the most operations one transaction branch may hold, as configured with {@link EtcdClientBuilder#maxTxnOps(int)} (128 by default, etcd's own default {@code --max-txn-ops})
     */
    int maxTxnOps();

    /**
     * The escape hatch to lower-level calls: {@code unwrap(io.grpc.Channel.class)} gives a gRPC channel to one
     * member that carries this client's auth token, for use with etcd's generated stubs. The types returned
     * are not part of etcdkit's API and may change with the gRPC version. An unsupported type is an
     * {@link InvalidArgumentException}.
     *
     * @param <T> the type of the values
     * @param type the class of the lower-level object, such as {@code io.grpc.Channel.class}
     * @return the escape hatch to lower-level calls: {@code unwrap(io.grpc.Channel.class)} gives a gRPC channel to one member that carries this client's auth token, for use with etcd's generated stubs
     */
    <T> T unwrap(Class<T> type);

    /** Closes the connections of the root client and all its views; idempotent. A view's close does nothing. */
    @Override
    void close();
}
