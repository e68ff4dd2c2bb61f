package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.DeleteResult;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;

/**
 * Typed resources stored as JSON under a prefix, one key per resource, with optimistic concurrency.
 *
 * <pre>{@code
 * Repository<Order> orders = Repository.builder(client, "orders", Order.class)
 *         .labels(Order::labels)
 *         .build();
 * Versioned<Order> o = orders.create("o-1", new Order(...));
 * orders.update("o-1", o.value().paid(), o.version());        // refused if anyone wrote since
 * orders.update("o-1", order -> order.withNote("rush"));       // read-modify-write, retried on conflict
 * List<Versioned<Order>> open = orders.list("state in (open,held),!archived");
 * }</pre>
 *
 * <h2>Storage</h2>
 * Resource {@code id} is stored at {@code <prefix>/<id>} as the plain JSON of its value (so {@code etcdctl get}
 * shows it and other languages can read it), or in the form of the builder's codec: for client-side encryption,
 * {@link RepositoryBuilder#codec(io.etcdkit.codec.KeyBoundCodec) codec(Codecs.encrypted(keyRing, ..))} binds each
 * value to its key, so a ciphertext copied from another resource is unreadable, never accepted. Ids have 1 to 253
 * characters, start with a letter or digit and contain only letters, digits and {@code . _ : @ -}. Bookkeeping keys live under {@code <prefix>/.} and never
 * appear in lists or watches. A namespaced client ({@code client.withNamespace(..)}) works unchanged: every key is
 * relative to its namespace.
 *
 * <h2>Versions</h2>
 * A resource's {@link Versioned#version() version} is the etcd modification revision of its key. Every write is a
 * real etcd transaction that compares it (never read-then-write): an update or delete with an expected version
 * applies only if no one wrote the resource since. Unlike etcd's per-key version counter, a revision is never
 * reused, so a resource deleted and re-created never matches an old version.
 *
 * <h2>Labels</h2>
 * Labels come from a label extractor configured on the builder, {@link RepositoryBuilder#labels}: they are part
 * of the value, so an update can neither forget nor desynchronise them, and the stored JSON stays the plain
 * value. Selectors ({@link LabelSelector}) are evaluated here after decoding; etcd has no label index.
 *
 * <h2>TTL resources</h2>
 * {@link #create(String, Object, Duration)} puts the resource on a lease of its own: it vanishes when the lease
 * expires unless {@link #refresh refreshed} or {@link #keepAlive kept alive}. Updates keep it on that lease (etcd's
 * {@code ignore_lease}); deleting it also revokes the lease.
 *
 * <h2>Quota</h2>
 * With {@link RepositoryBuilder#quota(int) quota(N)}, there are N place keys {@code <prefix>/.quota/slot/<i>}.
 * A create takes a free place in its own transaction (compare "place absent", the place on the resource's lease)
 * and a delete releases it in its transaction, so at most N resources exist whatever the concurrency, and a
 * resource that expires frees its place in the same instant (a counter key would drift when leases expire).
 *
 * <h2>Contract</h2>
 * Thread-safe and immutable; holds no resources of its own (watches and keep-alives it returns are the
 * caller's to close). Reads are linearizable. Every blocking call has the client's deadline. Failures are
 * {@link io.etcdkit.EtcdException}s: the ones named on each method, {@link ValueDecodingException} for a stored
 * value the codec cannot read (naming the resource), and the client's errors. A write failing with
 * {@link io.etcdkit.OutcomeUnknownException} may or may not have been applied (atomically: all of a batch or
 * none); read the resource to find out. Every other failure means nothing was written.
 *
 * @param <T> the value type
 */
public final class Repository<T> {
    private final Context<T> ctx;
    private final Lister<T> lister;
    private final AsyncWrites<T> async;

    Repository(Context<T> ctx) {
        this.ctx = ctx;
        this.lister = new Lister<>(ctx);
        this.async = new AsyncWrites<>(ctx);
    }

    /**
     * A builder for a repository of {@code type} values under {@code prefix} (a {@code /} is appended when it
     * does not end with one), stored as JSON.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param prefix the key prefix
     * @param type the class of the resources' values
     * @return a builder for a repository of {@code type} values under {@code prefix} (a {@code /} is appended when it does not end with one), stored as JSON
     */
    public static <T> RepositoryBuilder<T> builder(EtcdClient client, String prefix, Class<T> type) {
        return new RepositoryBuilder<>(client, prefix, type);
    }

    /**
     * The prefix every key of this repository starts with, ending in {@code /}.
     *
     * @return the prefix every key of this repository starts with, ending in {@code /}
     */
    public String prefix() {
        return ctx.keys().root();
    }

    // ---- reads --------------------------------------------------------------------------------------------

    /**
     * The resource {@code id}, or empty when it does not exist.
     *
     * @param id the resource id
     * @return the resource {@code id}, or empty when it does not exist
     */
    public Optional<Versioned<T>> get(String id) {
        return ctx.kv().get(ctx.keys().key(id)).map(ctx.codec()::decode);
    }

    /**
     * Whether resource {@code id} exists.
     *
     * @param id the resource id
     * @return whether resource {@code id} exists
     */
    public boolean exists(String id) {
        return ctx.kv().exists(ctx.keys().key(id));
    }

    /**
     * The number of resources now.
     *
     * @return the number of resources now
     */
    public long count() {
        return ctx.kv().count(ctx.keys().all());
    }

    /**
     * The ids of every resource, in id order, read at one revision without reading values.
     *
     * @return the ids
     */
    public List<String> keys() {
        return keys("*");
    }

    /**
     * The ids matching {@code pattern}, in id order, read at one revision (in pages) without reading or decoding
     * any value. The pattern is a glob over the id: {@code *} any run of characters, {@code ?} one character,
     * {@code [abc]} a class, {@code \} escapes. The part before the first wildcard narrows the read in etcd.
     *
     * @param pattern the glob, e.g. {@code "order-2026-*"}
     * @return the matching ids
     * @throws InvalidArgumentException when the pattern is null or empty
     */
    public List<String> keys(String pattern) {
        checkPattern(pattern);
        return ids(ctx.kv().keysMatching(escapeGlob(prefix()) + pattern));
    }

    /**
     * Async twin of {@link #keys()}: the same paged, keys-only read at one revision, without blocking a thread;
     * completes on the client's callback executor.
     *
     * @return a future completed with the ids, in id order
     */
    public CompletableFuture<List<String>> keysAsync() {
        return keysAsync("*");
    }

    /**
     * Async twin of {@link #keys(String)}: the same glob and paged, keys-only read at one revision, without blocking
     * a thread; completes on the client's callback executor.
     *
     * @param pattern the glob, e.g. {@code "order-2026-*"}
     * @return a future completed with the matching ids, in id order
     * @throws InvalidArgumentException when the pattern is null or empty (thrown at the call)
     */
    public CompletableFuture<List<String>> keysAsync(String pattern) {
        checkPattern(pattern);
        return ctx.kv().keysMatchingAsync(escapeGlob(prefix()) + pattern).thenApply(this::ids);
    }

    private static void checkPattern(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidArgumentException("an id pattern must not be empty; use \"*\" for every resource");
        }
    }

    /** The resource ids among {@code keys}, never a legacy bookkeeping key under the prefix. */
    private List<String> ids(List<Bytes> keys) {
        List<String> ids = new java.util.ArrayList<>();
        for (Bytes key : keys) {
            String id = ctx.keys().id(key);
            if (ResourceKeys.isId(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static String escapeGlob(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /**
     * Every resource, in id order, read at one revision (in pages).
     *
     * @return every resource, in id order, read at one revision (in pages)
     */
    public List<Versioned<T>> list() {
        return lister.all(LabelSelector.everything());
    }

    /**
     * Every resource {@code selector} matches, in id order, read at one revision (in pages).
     *
     * @param selector the label selector
     * @return every resource {@code selector} matches, in id order, read at one revision (in pages)
     */
    public List<Versioned<T>> list(LabelSelector selector) {
        return lister.all(Objects.requireNonNull(selector, "selector"));
    }

    /**
     * Every resource the selector text matches (see {@link LabelSelector} for the syntax).
     *
     * @param selector the label selector
     * @return every resource the selector text matches (see {@link LabelSelector} for the syntax)
     * @throws InvalidSelectorException when the text is not a valid selector
     */
    public List<Versioned<T>> list(String selector) {
        return list(LabelSelector.parse(selector));
    }

    /**
     * One page of the resources {@code selector} matches, in id order. Without a token the first page is read
     * (linearizably) and fixes the revision; with the token of the previous page the next page is read at that
     * same revision, so the pages together are one consistent snapshot.
     *
     * @param selector which resources; {@link LabelSelector#everything()} for all
     * @param pageSize the most resources per page, at least 1
     * @param continueToken the previous page's {@link Page#continueToken()}, or null for the first page
     * @return one page of the resources {@code selector} matches, in id order
     * @throws ContinueTokenExpiredException when the token's revision has been compacted: start again
     * @throws InvalidArgumentException when the token was not issued by this repository, or the size is bad
     */
    public Page<T> listPage(LabelSelector selector, int pageSize, String continueToken) {
        return lister.page(Objects.requireNonNull(selector, "selector"), pageSize, continueToken);
    }

    /**
     * The versions of resource {@code id} since its creation, newest first, as far as etcd still has them: one
     * read per version. {@link History#end()} says whether the walk reached the creation
     * ({@link History.End#CREATED}) or stopped at compacted history ({@link History.End#COMPACTED}); compaction is
     * reported there, never thrown. Empty when the resource does not exist.
     *
     * @param id the resource id
     * @return the versions of resource {@code id} since its creation, newest first, as far as etcd still has them: one read per version
     */
    public Optional<History<T>> history(String id) {
        return history(id, Integer.MAX_VALUE);
    }

    /**
     * {@link #history(String)}, stopping after {@code maxVersions} versions ({@link History.End#LIMIT}).
     *
     * @param id the resource id
     * @param maxVersions the max versions
     * @return as {@link #history(String)}
     */
    public Optional<History<T>> history(String id, int maxVersions) {
        return new HistoryReader<>(ctx).read(id, maxVersions);
    }

    // ---- writes -------------------------------------------------------------------------------------------

    /**
     * Creates resource {@code id}.
     *
     * @param id the resource id
     * @param value the value
     * @return the resource as created
     * @throws ResourceExistsException when it already exists (with its version)
     * @throws QuotaExceededException when the repository is at its quota
     */
    public Versioned<T> create(String id, T value) {
        return one(Write.create(id, Objects.requireNonNull(value, "value"), null));
    }

    /**
     * Creates resource {@code id} with a TTL: it is put on a new lease of {@code ttl} (etcd rounds up to whole
     * seconds and raises TTLs below its minimum, about 2 s by default) and vanishes when the lease expires, unless
     * refreshed with {@link #refresh(String)} or {@link #keepAlive(String)}. Updates keep it on the lease.
     *
     * @param id the resource id
     * @param value the value
     * @param ttl the time to live
     * @return the created resource with its version
     * @throws ResourceExistsException when it already exists (the new lease is revoked again)
     * @throws QuotaExceededException when the repository is at its quota
     */
    public Versioned<T> create(String id, T value, Duration ttl) {
        return one(Write.create(id, Objects.requireNonNull(value, "value"), checkTtl(ttl)));
    }

    /**
     * Replaces the value of resource {@code id} if its version is still {@code expectedVersion}, in one
     * transaction that compares the version. A resource with a TTL stays on its lease.
     *
     * @param id the resource id
     * @param value the value
     * @param expectedVersion the expected version
     * @return the resource as written, with its new version
     * @throws VersionConflictException when another version is current (carrying it)
     * @throws ResourceNotFoundException when the resource does not exist
     */
    public Versioned<T> update(String id, T value, long expectedVersion) {
        return one(Write.update(id, Objects.requireNonNull(value, "value"), expectedVersion));
    }

    /**
     * Reads resource {@code id}, applies {@code change} to its value and writes the result if no one wrote in
     * between; on a conflict it reads again and re-applies, after a jittered back-off, up to the builder's
     * {@code retries}. {@code change} may therefore run several times and must be free of side effects.
     *
     * @param id the resource id
     * @param change the function from the current value to the new one
     * @return the resource as written
     * @throws ResourceNotFoundException when the resource does not exist (or vanishes meanwhile)
     * @throws WriteContentionException when every attempt conflicted; nothing was written
     */
    public Versioned<T> update(String id, UnaryOperator<T> change) {
        Objects.requireNonNull(change, "change");
        for (int attempt = 1; ; attempt++) {
            Versioned<T> current = get(id).orElseThrow(() -> new ResourceNotFoundException(id));
            T next = change.apply(current.value());
            if (next == null) {
                throw new InvalidArgumentException("the change function returned null for resource '" + id
                        + "'; return a value, or delete the resource instead");
            }
            try {
                return update(id, next, current.version());
            } catch (VersionConflictException e) {
                if (attempt >= ctx.attempts()) {
                    throw new WriteContentionException("gave up updating resource '" + id + "' after " + attempt
                            + " attempts: other writers changed it before every one. Nothing was written; try "
                            + "again or raise retries(..)", attempt);
                }
                ctx.pause(attempt);
            }
        }
    }

    /**
     * Creates resource {@code id} or overwrites it, whatever its version (an upsert; no version needed). Without a
     * quota it is one transaction; a resource with a TTL stays on its lease. Labels the stored version already has
     * are kept as they are, even when another program wrote them in a form that is not a valid label here; only
     * the labels this write sets are checked.
     *
     * @param id the resource id
     * @param value the new value
     * @return the resource as written, with its new version
     * @throws QuotaExceededException when it does not exist and the repository is at its quota
     * @throws WriteContentionException when other writers changed it before every attempt (only with a quota or
     *         foreign labels, where the version read is required)
     */
    public Versioned<T> set(String id, T value) {
        return new Upsert<>(ctx, id, Objects.requireNonNull(value, "value")).commit(this);
    }

    /**
     * Deletes resource {@code id} if its version is still {@code expectedVersion} (releasing its quota place and
     * revoking its lease, if any).
     *
     * @param id the resource id
     * @param expectedVersion the expected version
     * @throws VersionConflictException when another version is current
     * @throws ResourceNotFoundException when the resource does not exist
     */
    public void delete(String id, long expectedVersion) {
        one(Write.delete(id, expectedVersion));
    }

    /**
     * Deletes resource {@code id} whatever its version (releasing its quota place and revoking its lease, if
     * any).
     *
     * @param id the resource id
     * @return true when it existed and was deleted, false when it did not exist
     * @throws WriteContentionException when, with a quota, writers changed it before every attempt
     */
    public boolean delete(String id) {
        Bytes key = ctx.keys().key(id);
        if (ctx.quota() == null) {
            DeleteResult deleted = ctx.kv().delete(Delete.key(key).withPreviousValues());
            deleted.previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
            return deleted.deleted() > 0;
        }
        // with a quota the resource's place must go in the same transaction: delete the version just read
        for (int attempt = 1; ; attempt++) {
            Optional<KeyValue> current = ctx.kv().get(key);
            if (current.isEmpty()) {
                return false;
            }
            try {
                delete(id, current.get().modRevision());
                return true;
            } catch (ResourceNotFoundException e) {
                return false;
            } catch (VersionConflictException e) {
                if (attempt >= ctx.attempts()) {
                    throw new WriteContentionException("gave up deleting resource '" + id + "' after " + attempt
                            + " attempts: other writers changed it before every one. Nothing was deleted; try "
                            + "again", attempt);
                }
                ctx.pause(attempt);
            }
        }
    }

    /**
     * A new, empty batch of writes to apply in one transaction.
     *
     * @return a new, empty batch of writes to apply in one transaction
     */
    public Batch<T> batch() {
        return new Batch<>(ctx);
    }

    // ---- async forms -----------------------------------------------------------------------------------------

    /**
     * Async form of {@link #get(String)}: one read, no thread waits.
     *
     * @param id the resource id
     * @return a future of the resource {@code id}, or empty when it does not exist; it fails with
     *         {@link ValueDecodingException} when the stored value cannot be read, or with the client's errors
     */
    public CompletableFuture<Optional<Versioned<T>>> getAsync(String id) {
        return ctx.kv().getAsync(ctx.keys().key(id)).thenApply(kv -> kv.map(ctx.codec()::decode));
    }

    /**
     * Async form of {@link #exists(String)}.
     *
     * @param id the resource id
     * @return a future of whether resource {@code id} exists
     */
    public CompletableFuture<Boolean> existsAsync(String id) {
        return ctx.kv().existsAsync(ctx.keys().key(id));
    }

    /**
     * Async form of {@link #create(String, Object)}: the same transaction (with a quota, after an async read of
     * the free places, retried after a back-off when another client took the chosen place), no thread waits.
     *
     * @param id the resource id
     * @param value the value
     * @return a future of the resource as created; it fails with {@link ResourceExistsException} when it already
     *         exists, {@link QuotaExceededException} when the repository is at its quota
     */
    public CompletableFuture<Versioned<T>> createAsync(String id, T value) {
        Objects.requireNonNull(value, "value");
        return async.create(id, value, null);
    }

    /**
     * Async form of {@link #create(String, Object, Duration)}: the lease grant and the transaction are chained,
     * no thread waits (with a quota, as {@link #createAsync(String, Object)}).
     *
     * @param id the resource id
     * @param value the value
     * @param ttl the time to live
     * @return a future of the created resource; it fails with {@link ResourceExistsException} (the new lease is
     *         revoked again) or {@link QuotaExceededException}
     */
    public CompletableFuture<Versioned<T>> createAsync(String id, T value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        checkTtl(ttl);
        return async.create(id, value, ttl);
    }

    /**
     * Async form of {@link #update(String, Object, long)}: one transaction (after a read of the stored labels only
     * when a label of {@code value} is not valid here), no thread waits, with or without a quota.
     *
     * @param id the resource id
     * @param value the value
     * @param expectedVersion the expected version
     * @return a future of the resource as written; it fails with {@link VersionConflictException} when another
     *         version is current, {@link ResourceNotFoundException} when the resource does not exist
     */
    public CompletableFuture<Versioned<T>> updateAsync(String id, T value, long expectedVersion) {
        return async.update(id, Objects.requireNonNull(value, "value"), expectedVersion);
    }

    /**
     * Async form of {@link #set(String, Object)}: without a quota the same transaction; with a quota a create or
     * an update of the version just read, read again and retried after a back-off (on a delayed executor) when
     * another writer got in between. No thread waits.
     *
     * @param id the resource id
     * @param value the new value
     * @return a future of the resource as written; it fails with {@link QuotaExceededException} or
     *         {@link WriteContentionException} as the blocking form throws them
     */
    public CompletableFuture<Versioned<T>> setAsync(String id, T value) {
        Objects.requireNonNull(value, "value");
        return ctx.quota() != null ? async.setWithQuota(id, value, 1) : async.set(id, value, 1);
    }

    /**
     * Async form of {@link #delete(String, long)}: the same transaction (with a quota, releasing the resource's
     * place in it), no thread waits.
     *
     * @param id the resource id
     * @param expectedVersion the expected version
     * @return a future completed when deleted; it fails with {@link VersionConflictException} when another
     *         version is current, {@link ResourceNotFoundException} when the resource does not exist
     */
    public CompletableFuture<Void> deleteAsync(String id, long expectedVersion) {
        return async.delete(id, expectedVersion);
    }

    /**
     * Async form of {@link #delete(String)}: one delete; with a quota, a delete of the version just read with its
     * place, retried like the blocking form. No thread waits.
     *
     * @param id the resource id
     * @return a future of true when it existed and was deleted, false when it did not exist
     */
    public CompletableFuture<Boolean> deleteAsync(String id) {
        return async.delete(id);
    }

    /**
     * Async form of {@link #count()}: one count-only read, no thread waits.
     *
     * @return a future of the number of resources now
     */
    public CompletableFuture<Long> countAsync() {
        return ctx.kv().countAsync(ctx.keys().all());
    }

    /**
     * Async form of {@link #list()}: the same paged reads at one revision, each started from the previous one's
     * callback, no thread waits.
     *
     * @return a future of every resource, in id order
     */
    public CompletableFuture<List<Versioned<T>>> listAsync() {
        return lister.allAsync(LabelSelector.everything());
    }

    /**
     * Async form of {@link #list(LabelSelector)}.
     *
     * @param selector the label selector
     * @return a future of every resource {@code selector} matches, in id order, read at one revision
     */
    public CompletableFuture<List<Versioned<T>>> listAsync(LabelSelector selector) {
        return lister.allAsync(Objects.requireNonNull(selector, "selector"));
    }

    /**
     * Async form of {@link #list(String)}.
     *
     * @param selector the label selector text (see {@link LabelSelector})
     * @return a future of every resource the selector matches, in id order, read at one revision
     * @throws InvalidSelectorException when the text is not a valid selector (thrown, nothing is read)
     */
    public CompletableFuture<List<Versioned<T>>> listAsync(String selector) {
        return listAsync(LabelSelector.parse(selector));
    }

    /**
     * Async form of {@link #listPage(LabelSelector, int, String)}: the same reads, each started from the previous
     * one's callback, no thread waits.
     *
     * @param selector which resources; {@link LabelSelector#everything()} for all
     * @param pageSize the most resources per page, at least 1
     * @param continueToken the previous page's {@link Page#continueToken()}, or null for the first page
     * @return a future of one page; it fails with {@link ContinueTokenExpiredException} when the token's revision
     *         has been compacted, {@link InvalidArgumentException} for a foreign token or a bad size
     */
    public CompletableFuture<Page<T>> listPageAsync(LabelSelector selector, int pageSize, String continueToken) {
        return lister.pageAsync(Objects.requireNonNull(selector, "selector"), pageSize, continueToken);
    }

    /**
     * Async form of {@link #history(String)}: one read per version, each started from the previous one's
     * callback, no thread waits.
     *
     * @param id the resource id
     * @return a future of the versions of resource {@code id}, newest first, or empty when it does not exist
     */
    public CompletableFuture<Optional<History<T>>> historyAsync(String id) {
        return historyAsync(id, Integer.MAX_VALUE);
    }

    /**
     * Async form of {@link #history(String, int)}.
     *
     * @param id the resource id
     * @param maxVersions the most versions to read, at least 1
     * @return a future as {@link #historyAsync(String)}, stopping after {@code maxVersions} versions; it fails with
     *         {@link InvalidArgumentException} when {@code maxVersions} is below 1
     */
    public CompletableFuture<Optional<History<T>>> historyAsync(String id, int maxVersions) {
        return new HistoryReader<>(ctx).readAsync(id, maxVersions);
    }

    // ---- TTL ----------------------------------------------------------------------------------------------

    /**
     * Renews the lease of TTL resource {@code id} once, so it lives another full TTL.
     *
     * @param id the resource id
     * @return the TTL, which is now the time left
     * @throws ResourceNotFoundException when the resource does not exist or expired
     * @throws InvalidArgumentException when the resource has no TTL
     */
    public Duration refresh(String id) {
        return onLease(id, lease -> ctx.client().leases().keepAliveOnce(lease));
    }

    /**
     * The time TTL resource {@code id} has left before it expires unless refreshed, as etcd reports it (whole
     * seconds).
     *
     * @param id the resource id
     * @return the time TTL resource {@code id} has left before it expires unless refreshed, as etcd reports it (whole seconds)
     * @throws ResourceNotFoundException when the resource does not exist or expired
     * @throws InvalidArgumentException when the resource has no TTL
     */
    public Duration remainingTtl(String id) {
        return onLease(id, lease -> ctx.client().leases().timeToLive(lease).remaining());
    }

    /**
     * Keeps TTL resource {@code id} alive until the returned handle is closed (then it expires within its TTL)
     * or the resource is deleted. The caller owns the handle; see {@link KeepAlive} for how a lost lease is
     * reported.
     *
     * @param id the resource id
     * @return the keep alive
     * @throws ResourceNotFoundException when the resource does not exist or expired
     * @throws InvalidArgumentException when the resource has no TTL
     */
    public KeepAlive keepAlive(String id) {
        return onLease(id, lease -> ctx.client().leases().keepAlive(lease));
    }

    /**
     * Async form of {@link #refresh(String)}: a read, then one keep-alive, no thread waits.
     *
     * @param id the resource id
     * @return a future of the TTL, which is now the time left; it fails with {@link ResourceNotFoundException}
     *         when the resource does not exist or expired, {@link InvalidArgumentException} when it has no TTL
     */
    public CompletableFuture<Duration> refreshAsync(String id) {
        return onLeaseAsync(id, lease -> ctx.client().leases().keepAliveOnceAsync(lease));
    }

    /**
     * Async form of {@link #remainingTtl(String)}: a read, then the lease's time to live, no thread waits.
     *
     * @param id the resource id
     * @return a future of the time left (whole seconds); it fails with {@link ResourceNotFoundException} when the
     *         resource does not exist or expired, {@link InvalidArgumentException} when it has no TTL
     */
    public CompletableFuture<Duration> remainingTtlAsync(String id) {
        return onLeaseAsync(id, lease -> ctx.client().leases().timeToLiveAsync(lease).thenApply(i -> i.remaining()));
    }

    /**
     * Async form of {@link #keepAlive(String)}: a read, then the keep-alive is started, no thread waits. The
     * caller owns the handle the future completes with.
     *
     * @param id the resource id
     * @return a future of the keep-alive; it fails with {@link ResourceNotFoundException} when the resource does
     *         not exist or expired, {@link InvalidArgumentException} when it has no TTL
     */
    public CompletableFuture<KeepAlive> keepAliveAsync(String id) {
        return onLeaseAsync(id, lease -> ctx.client().leases().keepAliveAsync(lease));
    }

    /** {@link #onLease}, asynchronously: the read and the lease call chained. */
    private <R> CompletableFuture<R> onLeaseAsync(String id, LongFunction<CompletableFuture<R>> call) {
        return ctx.kv().getAsync(ctx.keys().key(id)).thenCompose(found -> {
            KeyValue kv = found.orElseThrow(() -> new ResourceNotFoundException(id));
            if (kv.lease() == 0) {
                throw noLease(id);
            }
            return call.apply(kv.lease());
        }).exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof LeaseNotFoundException) {
                throw new ResourceNotFoundException(id);
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
    }

    /** Applies {@code call} to the lease of resource {@code id}; a lease that is gone means the resource is. */
    private <R> R onLease(String id, LongFunction<R> call) {
        KeyValue kv = ctx.kv().get(ctx.keys().key(id)).orElseThrow(() -> new ResourceNotFoundException(id));
        if (kv.lease() == 0) {
            throw noLease(id);
        }
        try {
            return call.apply(kv.lease());
        } catch (LeaseNotFoundException e) {
            throw new ResourceNotFoundException(id);
        }
    }

    // ---- watch --------------------------------------------------------------------------------------------

    /**
     * Watches every resource for changes from now on; see {@link #watch(long, ResourceListener)}.
     *
     * @param listener the listener to call
     * @return the watcher
     */
    public Watcher watch(ResourceListener<T> listener) {
        return watch(0, listener);
    }

    /**
     * Watches every resource for changes from {@code fromRevision} (0: from now), typically a listing's
     * {@link Page#revision()} + 1. Events arrive as {@link ResourceEvent}s; a disconnect is reported and resumed
     * without loss, and history compacted past the watch's position ends it with {@link ResourceEvent.Compacted}.
     * The caller owns the returned watcher and must close it.
     *
     * @param fromRevision the from revision
     * @param listener the listener to call
     * @return the watcher
     */
    public Watcher watch(long fromRevision, ResourceListener<T> listener) {
        Objects.requireNonNull(listener, "listener");
        Watch watch = Watch.range(ctx.keys().all()).withPreviousValues().fromRevision(fromRevision);
        return ctx.client().watches().watch(watch, new ResourceWatch<>(ctx, listener));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Versioned<T> one(Write<T> write) {
        try {
            return new AtomicWrite<>(ctx, List.of(write)).commit().written().get(0);
        } catch (BatchConflictException e) {
            Conflict c = e.conflicts().get(0);
            throw AtomicWrite.single(write, c);
        }
    }

    private static InvalidArgumentException noLease(String id) {
        return new InvalidArgumentException("resource '" + id + "' has no TTL, so it has no lease to refresh or "
                + "ask about; create it with create(id, value, ttl) to give it one");
    }

    static Duration checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidArgumentException("a resource TTL must be positive, got " + ttl);
        }
        return ttl;
    }

    @Override
    public String toString() {
        return "repository under '" + prefix() + "' (" + ctx.codec() + ")";
    }
}
