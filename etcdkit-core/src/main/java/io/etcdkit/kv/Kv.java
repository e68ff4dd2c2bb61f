package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.kv.AsyncScan;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Reads and writes keys: plain operations, transactions, and the atomic helpers built on them.
 *
 * <p>Every operation has a blocking form and a {@code ...Async} form returning a {@link CompletableFuture}
 * that completes on the client's callback executor (never a transport thread). Blocking forms throw the typed
 * {@link io.etcdkit.EtcdException} subclasses; async forms complete exceptionally with them. Every call has the
 * client's deadline. Reads are retried on transient failures; writes only when they surely were not applied,
 * otherwise they fail with {@link io.etcdkit.OutcomeUnknownException}.
 *
 * <p>Thread-safe. Keys given to a namespaced client ({@code client.withNamespace(..)}) are relative to the
 * namespace, and keys returned are too.
 */
public interface Kv {

    // ---- reads ------------------------------------------------------------------------------------------

    /**
     * Reads a range (see {@link Range} for the options).
     *
     * @param range the range to read
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<RangeResult> rangeAsync(Range range);

    /**
     * Reads a range.
     *
     * @param range the range to read
     * @return the range result
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default RangeResult range(Range range) {
        return Futures.await(rangeAsync(range));
    }

    /**
     * The latest value of {@code key}, linearizable; empty when the key does not exist.
     *
     * @param key the key
     * @return the latest value of {@code key}, linearizable; empty when the key does not exist
     */
    default CompletableFuture<Optional<KeyValue>> getAsync(Bytes key) {
        return rangeAsync(Range.key(key)).thenApply(RangeResult::first);
    }

    /**
     * The latest value of {@code key}.
     *
     * @param key the key
     * @return the latest value of {@code key}
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default Optional<KeyValue> get(Bytes key) {
        return Futures.await(getAsync(key));
    }

    /**
     * The latest value of the UTF-8 key {@code key}.
     *
     * @param key the key
     * @return the latest value of the UTF-8 key {@code key}
     */
    default CompletableFuture<Optional<KeyValue>> getAsync(String key) {
        return rangeAsync(Range.key(key)).thenApply(RangeResult::first);
    }

    /**
     * The latest value of the UTF-8 key {@code key}.
     *
     * @param key the key
     * @return the latest value of the UTF-8 key {@code key}
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default Optional<KeyValue> get(String key) {
        return Futures.await(getAsync(key));
    }

    /**
     * Whether {@code key} exists.
     *
     * @param key the key
     * @return whether {@code key} exists
     */
    default CompletableFuture<Boolean> existsAsync(Bytes key) {
        return rangeAsync(Range.key(key).countOnly()).thenApply(r -> r.count() > 0);
    }

    /**
     * Whether {@code key} exists.
     *
     * @param key the key
     * @return whether {@code key} exists
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default boolean exists(Bytes key) {
        return Futures.await(existsAsync(key));
    }

    /**
     * Whether the UTF-8 key {@code key} exists.
     *
     * @param key the key
     * @return whether the UTF-8 key {@code key} exists
     */
    default boolean exists(String key) {
        return exists(Bytes.of(key));
    }

    /**
     * Whether the UTF-8 key {@code key} exists.
     *
     * @param key the key
     * @return a future completed with whether the UTF-8 key {@code key} exists, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> existsAsync(String key) {
        return existsAsync(Bytes.of(key));
    }

    /**
     * The number of keys in {@code range}.
     *
     * @param range the range to read
     * @return the number of keys in {@code range}
     */
    default CompletableFuture<Long> countAsync(Range range) {
        return rangeAsync(range.countOnly()).thenApply(RangeResult::count);
    }

    /**
     * The number of keys in {@code range}.
     *
     * @param range the range to read
     * @return the number of keys in {@code range}
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default long count(Range range) {
        return Futures.await(countAsync(range));
    }

    /**
     * Every key-value in {@code range}, read in pages of {@code pageSize} at one pinned revision, so the pages
     * form one consistent snapshot and no single response grows beyond the message-size limits. The stream
     * reads lazily; a page whose revision has been compacted meanwhile fails with
     * {@link io.etcdkit.CompactedException}. The range must not be sorted or limited.
     *
     * @param range the range to read
     * @param pageSize the page size
     * @return every key-value in {@code range}, read in pages of {@code pageSize} at one pinned revision, so the pages form one consistent snapshot and no single response grows beyond the message-size limits
     */
    Stream<KeyValue> scan(Range range, int pageSize);

    /**
     * Every key-value under {@code prefix} (paged, at one revision).
     *
     * @param prefix the key prefix
     * @return every key-value under {@code prefix} (paged, at one revision)
     */
    default List<KeyValue> list(String prefix) {
        try (Stream<KeyValue> s = scan(Range.prefix(prefix), 1000)) {
            return s.toList();
        }
    }

    /**
     * Every key under {@code prefix}, without values (paged, at one revision).
     *
     * @param prefix the key prefix
     * @return every key under {@code prefix}, without values (paged, at one revision)
     */
    default List<Bytes> listKeys(String prefix) {
        try (Stream<KeyValue> s = scan(Range.prefix(prefix).keysOnly(), 5000)) {
            return s.map(KeyValue::key).toList();
        }
    }

    /**
     * Every key whose UTF-8 name matches {@code glob}: {@code *} matches any run of characters except
     * {@code /}, {@code **} any run including {@code /}, {@code ?} one character, {@code [abc]} a class, and
     * {@code \} escapes. Only the part before the first wildcard is sent to etcd as a prefix; the rest is
     * filtered here, so a glob starting with a wildcard scans every key.
     *
     * @param glob the glob
     * @return every key whose UTF-8 name matches {@code glob}: {@code *} matches any run of characters except {@code /}, {@code **} any run including {@code /}, {@code ?} one character, {@code [abc]} a class, and {@code \} escapes
     */
    List<Bytes> keysMatching(String glob);

    /**
     * Async twin of {@link #scan(Range, int)}: the same pages of {@code pageSize} at the revision the first page
     * saw, each page requested when the previous one arrives, so no thread waits; the future completes on the
     * client's callback executor with every key-value of the range, in key order, collected into one list (use
     * {@link #scan} to stream a range too large to hold in memory). Bad arguments (the same as {@code scan}
     * rejects) fail the future with {@link io.etcdkit.InvalidArgumentException}; a page whose revision has been
     * compacted meanwhile fails it with {@link io.etcdkit.CompactedException}.
     *
     * @param range the range to read; not sorted, limited or count-only
     * @param pageSize the page size, at least 1
     * @return a future completed with every key-value in {@code range}, read at one revision
     */
    default CompletableFuture<List<KeyValue>> scanAsync(Range range, int pageSize) {
        return AsyncScan.all(this, range, pageSize);
    }

    /**
     * Async twin of {@link #list(String)}: every key-value under {@code prefix}, paged at one revision.
     *
     * @param prefix the key prefix
     * @return a future completed (on the client's callback executor) with every key-value under {@code prefix}
     */
    default CompletableFuture<List<KeyValue>> listAsync(String prefix) {
        return scanAsync(Range.prefix(prefix), 1000);
    }

    /**
     * Async twin of {@link #listKeys(String)}: every key under {@code prefix}, without values, paged at one
     * revision.
     *
     * @param prefix the key prefix
     * @return a future completed (on the client's callback executor) with every key under {@code prefix}
     */
    default CompletableFuture<List<Bytes>> listKeysAsync(String prefix) {
        return scanAsync(Range.prefix(prefix).keysOnly(), 5000)
                .thenApply(kvs -> kvs.stream().map(KeyValue::key).toList());
    }

    /**
     * Async twin of {@link #keysMatching(String)}: the same glob rules, the same prefix sent to etcd and the same
     * paged read at one revision. A malformed glob fails the future with
     * {@link io.etcdkit.InvalidArgumentException}.
     *
     * @param glob the glob
     * @return a future completed (on the client's callback executor) with every key whose UTF-8 name matches
     *     {@code glob}, in key order
     */
    default CompletableFuture<List<Bytes>> keysMatchingAsync(String glob) {
        return AsyncScan.keysMatching(this, glob);
    }

    // ---- writes -----------------------------------------------------------------------------------------

    /**
     * Writes a key (see {@link Put} for the options).
     *
     * @param put the put to apply
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<PutResult> putAsync(Put put);

    /**
     * Writes a key.
     *
     * @param put the put to apply
     * @return the put result
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default PutResult put(Put put) {
        return Futures.awaitWrite(putAsync(put));
    }

    /**
     * Writes {@code value} at {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return the put result
     */
    default PutResult put(Bytes key, Bytes value) {
        return put(Put.of(key, value));
    }

    /**
     * Writes {@code value} at {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<PutResult> putAsync(Bytes key, Bytes value) {
        return putAsync(Put.of(key, value));
    }

    /**
     * Writes the UTF-8 {@code value} at the UTF-8 {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return the put result
     */
    default PutResult put(String key, String value) {
        return put(Put.of(key, value));
    }

    /**
     * Writes the UTF-8 {@code value} at the UTF-8 {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<PutResult> putAsync(String key, String value) {
        return putAsync(Put.of(key, value));
    }

    /**
     * Deletes a key, prefix or range (see {@link Delete}).
     *
     * @param delete the delete to apply
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<DeleteResult> deleteAsync(Delete delete);

    /**
     * Deletes a key, prefix or range.
     *
     * @param delete the delete to apply
     * @return the delete result
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default DeleteResult delete(Delete delete) {
        return Futures.awaitWrite(deleteAsync(delete));
    }

    /**
     * Deletes one key; the result says whether it existed.
     *
     * @param key the key
     * @return the delete result
     */
    default DeleteResult delete(String key) {
        return delete(Delete.key(key));
    }

    /**
     * Deletes one key.
     *
     * @param key the key
     * @return the delete result
     */
    default DeleteResult delete(Bytes key) {
        return delete(Delete.key(key));
    }

    /**
     * Deletes every key under {@code prefix} (which must not be empty).
     *
     * @param prefix the key prefix
     * @return the delete result
     */
    default DeleteResult deletePrefix(String prefix) {
        return delete(Delete.prefix(prefix));
    }

    /**
     * Deletes one key; the result says whether it existed.
     *
     * @param key the key
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<DeleteResult> deleteAsync(String key) {
        return deleteAsync(Delete.key(key));
    }

    /**
     * Deletes one key.
     *
     * @param key the key
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<DeleteResult> deleteAsync(Bytes key) {
        return deleteAsync(Delete.key(key));
    }

    /**
     * Deletes every key under {@code prefix} (which must not be empty).
     *
     * @param prefix the prefix
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<DeleteResult> deletePrefixAsync(String prefix) {
        return deleteAsync(Delete.prefix(prefix));
    }

    // ---- transactions -----------------------------------------------------------------------------------

    /**
     * Runs a transaction atomically.
     *
     * @param txn the transaction to commit
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<TxnResult> commitAsync(Transaction txn);

    /**
     * Runs a transaction atomically.
     *
     * @param txn the transaction to commit
     * @return the txn result
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default TxnResult commit(Transaction txn) {
        return Futures.awaitWrite(commitAsync(txn));
    }

    // ---- atomic helpers (each one transaction) ----------------------------------------------------------

    /**
     * Writes {@code value} only if {@code key} does not exist; true when written.
     *
     * @param key the key
     * @param value the value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> putIfAbsentAsync(Bytes key, Bytes value) {
        return commitAsync(Transaction.when(Compare.absent(key)).then(Put.of(key, value)))
                .thenApply(TxnResult::succeeded);
    }

    /**
     * Writes {@code value} only if {@code key} does not exist; true when written.
     *
     * @param key the key
     * @param value the value
     * @return {@code true} when written
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default boolean putIfAbsent(Bytes key, Bytes value) {
        return Futures.awaitWrite(putIfAbsentAsync(key, value));
    }

    /**
     * Writes the UTF-8 {@code value} only if {@code key} does not exist; true when written.
     *
     * @param key the key
     * @param value the value
     * @return {@code true} when written
     */
    default boolean putIfAbsent(String key, String value) {
        return putIfAbsent(Bytes.of(key), Bytes.of(value));
    }

    /**
     * Writes the UTF-8 {@code value} only if {@code key} does not exist; true when written.
     *
     * @param key the key
     * @param value the value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> putIfAbsentAsync(String key, String value) {
        return putIfAbsentAsync(Bytes.of(key), Bytes.of(value));
    }

    /**
     * Replaces the value of {@code key} only if it currently equals {@code expected}; true when replaced.
     *
     * @param key the key
     * @param expected the expected value
     * @param newValue the new value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> compareAndSetAsync(Bytes key, Bytes expected, Bytes newValue) {
        return commitAsync(Transaction.when(Compare.exists(key), Compare.value(key).equalTo(expected))
                .then(Put.of(key, newValue))).thenApply(TxnResult::succeeded);
    }

    /**
     * Replaces the value of {@code key} only if it currently equals {@code expected}; true when replaced.
     *
     * @param key the key
     * @param expected the expected value
     * @param newValue the new value
     * @return {@code true} when replaced
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default boolean compareAndSet(Bytes key, Bytes expected, Bytes newValue) {
        return Futures.awaitWrite(compareAndSetAsync(key, expected, newValue));
    }

    /**
     * UTF-8 form of {@link #compareAndSet(Bytes, Bytes, Bytes)}.
     *
     * @param key the key
     * @param expected the expected value
     * @param newValue the new value
     * @return as {@link #compareAndSet(Bytes, Bytes, Bytes)}
     */
    default boolean compareAndSet(String key, String expected, String newValue) {
        return compareAndSet(Bytes.of(key), Bytes.of(expected), Bytes.of(newValue));
    }

    /**
     * UTF-8 form of {@link #compareAndSetAsync(Bytes, Bytes, Bytes)}.
     *
     * @param key the key
     * @param expected the expected
     * @param newValue the new value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> compareAndSetAsync(String key, String expected, String newValue) {
        return compareAndSetAsync(Bytes.of(key), Bytes.of(expected), Bytes.of(newValue));
    }

    /**
     * Replaces the value of {@code key} only if its modification revision is still {@code expectedModRevision}
     * (0: only if the key does not exist); true when replaced. This is optimistic concurrency: read, compute,
     * then write only if nobody wrote in between.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @param newValue the new value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> compareAndSetAsync(Bytes key, long expectedModRevision, Bytes newValue) {
        return commitAsync(Transaction.when(Compare.modRevision(key).equalTo(expectedModRevision))
                .then(Put.of(key, newValue))).thenApply(TxnResult::succeeded);
    }

    /**
     * Blocking form of {@link #compareAndSetAsync(Bytes, long, Bytes)}.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @param newValue the new value
     * @return what {@link #compareAndSetAsync(Bytes, long, Bytes)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default boolean compareAndSet(Bytes key, long expectedModRevision, Bytes newValue) {
        return Futures.awaitWrite(compareAndSetAsync(key, expectedModRevision, newValue));
    }

    /**
     * Deletes {@code key} only if its value equals {@code expected}; true when deleted.
     *
     * @param key the key
     * @param expected the expected value
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> compareAndDeleteAsync(Bytes key, Bytes expected) {
        return commitAsync(Transaction.when(Compare.exists(key), Compare.value(key).equalTo(expected))
                .then(Delete.key(key))).thenApply(TxnResult::succeeded);
    }

    /**
     * Deletes {@code key} only if its value equals {@code expected}; true when deleted.
     *
     * @param key the key
     * @param expected the expected value
     * @return {@code true} when deleted
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default boolean compareAndDelete(Bytes key, Bytes expected) {
        return Futures.awaitWrite(compareAndDeleteAsync(key, expected));
    }

    /**
     * Deletes {@code key} only if its modification revision is still {@code expectedModRevision}.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> compareAndDeleteAsync(Bytes key, long expectedModRevision) {
        return commitAsync(Transaction.when(Compare.exists(key),
                Compare.modRevision(key).equalTo(expectedModRevision)).then(Delete.key(key)))
                .thenApply(TxnResult::succeeded);
    }

    /**
     * Blocking form of {@link #compareAndDeleteAsync(Bytes, long)}.
     *
     * @param key the key
     * @param expectedModRevision the expected mod revision
     * @return the result
     */
    default boolean compareAndDelete(Bytes key, long expectedModRevision) {
        return Futures.awaitWrite(compareAndDeleteAsync(key, expectedModRevision));
    }

    /**
     * Moves {@code from} to {@code to} atomically: the value (and lease) is written at {@code to} and
     * {@code from} deleted in one transaction, only if {@code from} exists unchanged since it was read and
     * {@code to} does not exist. Returns false (and changes nothing) when {@code from} is missing, {@code to}
     * exists, or {@code from} changed concurrently.
     *
     * @param from the source key
     * @param to the target key
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Boolean> moveAsync(Bytes from, Bytes to);

    /**
     * Blocking form of {@link #moveAsync(Bytes, Bytes)}.
     *
     * @param from the source key
     * @param to the target key
     * @return what {@link #moveAsync(Bytes, Bytes)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default boolean move(Bytes from, Bytes to) {
        return Futures.awaitWrite(moveAsync(from, to));
    }

    /**
     * UTF-8 form of {@link #move(Bytes, Bytes)}.
     *
     * @param from the source key
     * @param to the target key
     * @return as {@link #move(Bytes, Bytes)}
     */
    default boolean move(String from, String to) {
        return move(Bytes.of(from), Bytes.of(to));
    }

    /**
     * UTF-8 form of {@link #moveAsync(Bytes, Bytes)}.
     *
     * @param from the from
     * @param to the to
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<Boolean> moveAsync(String from, String to) {
        return moveAsync(Bytes.of(from), Bytes.of(to));
    }

    /**
     * Writes every entry in one transaction: all or nothing. A batch larger than the server's per-transaction
     * limit fails with {@link io.etcdkit.TooManyOperationsException} before anything is sent. Returns the
     * revision of the write.
     *
     * @param entries the entries
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Long> putAllAsync(Map<Bytes, Bytes> entries);

    /**
     * Blocking form of {@link #putAllAsync(Map)}.
     *
     * @param entries the entries
     * @return what {@link #putAllAsync(Map)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default long putAll(Map<Bytes, Bytes> entries) {
        return Futures.awaitWrite(putAllAsync(entries));
    }

    /**
     * Deletes every key in one transaction; returns how many existed. Same limits as {@link #putAllAsync}.
     *
     * @param keys the keys
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Long> deleteAllAsync(Collection<Bytes> keys);

    /**
     * Blocking form of {@link #deleteAllAsync(Collection)}.
     *
     * @param keys the keys
     * @return what {@link #deleteAllAsync(Collection)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default long deleteAll(Collection<Bytes> keys) {
        return Futures.awaitWrite(deleteAllAsync(keys));
    }

    /**
     * A loader for large numbers of keys: non-atomic, it groups entries into transactions of up to
     * {@code batchSize} puts, each also under the server's request size limit
     * ({@link io.etcdkit.EtcdClientBuilder#maxRequestBytes(int)}), and keeps at most {@code maxInFlight} of them
     * outstanding. An entry too large for a request on its own is sent alone and fails with
     * {@link io.etcdkit.RequestTooLargeException} inside the {@link BulkLoadException}.
     *
     * @param batchSize the batch size
     * @param maxInFlight the max in flight
     * @return a loader for large numbers of keys: non-atomic, it groups entries into transactions of up to {@code batchSize} puts, each also under the server's request size limit ({@link io.etcdkit.EtcdClientBuilder#maxRequestBytes(int)}), and keeps at most {@code maxInFlight} of them outstanding
     * @throws io.etcdkit.InvalidArgumentException if {@code batchSize} is not between 1 and the client's
     *         {@code maxTxnOps}, or {@code maxInFlight} is below 1
     */
    BulkLoader bulkLoader(int batchSize, int maxInFlight);

    /**
     * A loader with the largest batches the server allows: {@link io.etcdkit.EtcdClient#maxTxnOps()} puts (fewer
     * when the request size limit says so), 4 in flight. Fewer, larger transactions cost etcd less per key: raise
     * etcd's {@code --max-txn-ops} (and tell the client with {@code maxTxnOps(..)}) for faster loads.
     *
     * @return a loader with the largest batches the server allows: {@link io.etcdkit.EtcdClient#maxTxnOps()} puts (fewer when the request size limit says so), 4 in flight
     */
    BulkLoader bulkLoader();
}
