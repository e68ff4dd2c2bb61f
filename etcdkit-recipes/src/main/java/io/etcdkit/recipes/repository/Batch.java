package io.etcdkit.recipes.repository;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Creates, updates and deletes of several resources applied as <b>one etcd transaction</b>: either every write is
 * applied, at one revision, or none is.
 *
 * <pre>{@code
 * long revision = orders.batch()
 *         .create("o-3", newOrder)
 *         .update("o-1", changed, seen.version())
 *         .delete("o-2", other.version())
 *         .commit();
 * }</pre>
 *
 * <p>When any resource is not in the state its write requires (a create finds it existing, an update or delete
 * finds another version or none), nothing is applied and {@link #commit()} throws {@link BatchConflictException}
 * listing <em>every</em> such resource with its current version. A resource may appear only once per batch.
 *
 * <p><b>Size.</b> The transaction must fit the client's operation limit (etcd's {@code --max-txn-ops}, 128 by
 * default): a write takes one operation, a create two when the repository has a quota, a delete two when the
 * resource holds a quota place. A batch over the limit fails with {@link BatchTooLargeException} before anything
 * is sent.
 *
 * <p>A batch is a builder: not thread-safe, to be used by one thread. Arguments are checked when added.
 *
 * @param <T> the value type
 */
public final class Batch<T> {
    private final Context<T> ctx;
    private final List<Write<T>> writes = new ArrayList<>();

    Batch(Context<T> ctx) {
        this.ctx = ctx;
    }

    /**
     * Adds the creation of resource {@code id} (it must not exist when the batch is committed).
     *
     * @param id the resource id
     * @param value the value
     * @return a {@code Batch} that adds the creation of resource {@code id} (it must not exist when the batch is committed)
     */
    public Batch<T> create(String id, T value) {
        return add(Write.create(id, Objects.requireNonNull(value, "value"), null));
    }

    /**
     * Adds the creation of resource {@code id} with a TTL: it gets its own lease, granted at commit, and vanishes
     * when the lease expires (see {@link Repository#create(String, Object, Duration)}).
     *
     * @param id the resource id
     * @param value the value
     * @param ttl the time to live
     * @return a {@code Batch} that adds the creation of resource {@code id} with a TTL: it gets its own lease, granted at commit, and vanishes when the lease expires (see {@link Repository#create(String, Object, Duration)})
     */
    public Batch<T> create(String id, T value, Duration ttl) {
        return add(Write.create(id, Objects.requireNonNull(value, "value"), Repository.checkTtl(ttl)));
    }

    /**
     * Adds an update of resource {@code id}, which must still have {@code expectedVersion} at commit.
     *
     * @param id the resource id
     * @param value the value
     * @param expectedVersion the expected version
     * @return a {@code Batch} that adds an update of resource {@code id}, which must still have {@code expectedVersion} at commit
     */
    public Batch<T> update(String id, T value, long expectedVersion) {
        return add(Write.update(id, Objects.requireNonNull(value, "value"), expectedVersion));
    }

    /**
     * Adds the deletion of resource {@code id}, which must still have {@code expectedVersion} at commit.
     *
     * @param id the resource id
     * @param expectedVersion the expected version
     * @return a {@code Batch} that adds the deletion of resource {@code id}, which must still have {@code expectedVersion} at commit
     */
    public Batch<T> delete(String id, long expectedVersion) {
        return add(Write.delete(id, expectedVersion));
    }

    /**
     * The number of writes added.
     *
     * @return the number of writes added
     */
    public int size() {
        return writes.size();
    }

    /**
     * Applies every write in one transaction.
     *
     * @return the revision of the transaction, which is the new {@link Versioned#version() version} of every
     *     created and updated resource
     * @throws BatchConflictException when some resources were not in the required state; nothing was written
     * @throws QuotaExceededException when the creates do not fit the quota; nothing was written
     * @throws BatchTooLargeException when the transaction would exceed the operation limit; nothing was sent
     * @throws InvalidArgumentException when the batch is empty
     * @throws io.etcdkit.OutcomeUnknownException when etcd did not answer: all writes or none were applied
     */
    public long commit() {
        return new AtomicWrite<>(ctx, writes).commit().revision();
    }

    /**
     * Async form of {@link #commit()}: the lease grants, the reads a quota needs and the transaction are chained on
     * the client's futures (a retry for quota places taken meanwhile waits its back-off on a delayed executor), so
     * no thread waits. The writes are taken as they are now; adding to the batch afterwards does not change this
     * commit.
     *
     * @return a future of the revision of the transaction; it fails with the exceptions {@link #commit()} throws
     *     ({@link BatchConflictException}, {@link QuotaExceededException}, {@link BatchTooLargeException},
     *     {@link InvalidArgumentException} for an empty batch, {@link io.etcdkit.OutcomeUnknownException})
     */
    public CompletableFuture<Long> commitAsync() {
        return AtomicWrite.prepareAsync(ctx, List.copyOf(writes))
                .thenCompose(AtomicWrite::commitAsync).thenApply(AtomicWrite.Outcome::revision);
    }

    private Batch<T> add(Write<T> write) {
        ResourceKeys.checkId(write.id());
        writes.add(write);
        return this;
    }
}
