package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.repository.BatchConflictException.Conflict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Applies a list of writes as one etcd transaction: all or nothing. Each write contributes its compare (create:
 * key absent; update and delete: mod revision equals the expected version), its operation, and a read of its key
 * for the failure branch, from which every conflict is reported with the version found. With a quota, a create
 * also takes a free slot (compare "slot absent", same lease) and a delete releases the resource's slot (compare
 * "slot unchanged"). When the transaction fails only because another client took a chosen slot first, the
 * slots are read again and the transaction retried after a back-off; nothing else is retried.
 *
 * <p>Leases for TTL creates are granted first and revoked again if the writes are surely not applied; a lease
 * of a deleted resource is revoked after the delete. One instance per commit; not thread-safe.
 */
final class AtomicWrite<T> {

    /**
     * The result of the transaction.
     *
     * @param revision the revision of the transaction: the new version of every created or updated resource
     * @param written per write, the resource as written (null for a delete)
     */
    record Outcome<T>(long revision, List<Versioned<T>> written) {
    }

    private final Context<T> ctx;
    private final List<Write<T>> writes;
    private final Bytes[] keys;
    private final Bytes[] values;
    private final long[] leases;
    private final int creates;

    AtomicWrite(Context<T> ctx, List<Write<T>> writes) {
        this(ctx, writes, (key, w) -> ctx.kv().get(key));
    }

    /**
     * @param stored reads the stored version of an update's key, asked only when a label of the new value is not
     *     valid here (the labels of that version, if it is the expected one, are kept)
     */
    private AtomicWrite(Context<T> ctx, List<Write<T>> writes,
            BiFunction<Bytes, Write<T>, Optional<KeyValue>> stored) {
        if (writes.isEmpty()) {
            throw new InvalidArgumentException("a batch needs at least one write");
        }
        this.ctx = ctx;
        this.writes = List.copyOf(writes);
        int n = writes.size();
        keys = new Bytes[n];
        values = new Bytes[n];
        leases = new long[n];
        Set<String> ids = new HashSet<>();
        int c = 0;
        for (int i = 0; i < n; i++) {
            Write<T> w = writes.get(i);
            keys[i] = ctx.keys().key(w.id());
            if (!ids.add(w.id())) {
                throw new InvalidArgumentException("resource '" + w.id() + "' appears twice in one batch; etcd "
                        + "cannot write one key twice in a transaction. Merge the writes into one");
            }
            if (w.kind() != Write.Kind.CREATE && w.expectedVersion() <= 0) {
                throw badVersion(w);
            }
            if (w.kind() != Write.Kind.DELETE) {
                values[i] = ctx.codec().encode(keys[i], w.id(), w.value(), keptLabels(ctx, keys[i], w, stored));
            }
            if (w.kind() == Write.Kind.CREATE) {
                c++;
            }
        }
        creates = c;
    }

    /**
     * The labels of the version an update replaces (read only when asked): those stay as they are even if another
     * program wrote them in a form this repository would refuse. None for a create.
     */
    private static <T> Supplier<Map<String, String>> keptLabels(Context<T> ctx, Bytes key, Write<T> w,
            BiFunction<Bytes, Write<T>, Optional<KeyValue>> stored) {
        if (w.kind() != Write.Kind.UPDATE) {
            return Map::of;
        }
        return () -> stored.apply(key, w).filter(kv -> kv.modRevision() == w.expectedVersion())
                .map(kv -> ctx.codec().decode(kv).labels()).orElse(Map.of());
    }

    /**
     * The writes prepared without a thread waiting: when a label of an update's value is not valid here, the
     * stored versions of the batch's updates are read asynchronously and the values encoded again with them.
     */
    static <T> CompletableFuture<AtomicWrite<T>> prepareAsync(Context<T> ctx, List<Write<T>> writes) {
        try {
            return CompletableFuture.completedFuture(new AtomicWrite<>(ctx, writes, (key, w) -> {
                throw new AsyncWrites.NeedsStoredLabels();
            }));
        } catch (AsyncWrites.NeedsStoredLabels needed) {
            Map<Bytes, CompletableFuture<Optional<KeyValue>>> reads = new HashMap<>();
            for (Write<T> w : writes) {
                if (w.kind() == Write.Kind.UPDATE) {
                    Bytes key = ctx.keys().key(w.id());
                    reads.put(key, ctx.kv().getAsync(key));
                }
            }
            return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(v ->
                    new AtomicWrite<>(ctx, writes, (key, w) -> reads.get(key).join()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static InvalidArgumentException badVersion(Write<?> w) {
        return new InvalidArgumentException("the expected version of resource '" + w.id() + "' must be positive, "
                + "got " + w.expectedVersion() + "; pass the version from a read (Versioned.version())");
    }

    /**
     * Commits the writes.
     *
     * @throws BatchConflictException when some resource was not in the required state (nothing written)
     * @throws QuotaExceededException when the creates do not fit the quota (nothing written)
     * @throws BatchTooLargeException when the transaction would exceed the client's operation limit
     * @throws WriteContentionException when quota slots were taken by others before every attempt
     * @throws OutcomeUnknownException when etcd did not answer: the writes may have been applied (all or none)
     */
    Outcome<T> commit() {
        boolean mayBeApplied = false;
        boolean applied = false;
        try {
            grantLeases();
            for (int attempt = 1; ; attempt++) {
                Optional<Outcome<T>> outcome;
                try {
                    outcome = attempt();
                } catch (OutcomeUnknownException e) {
                    mayBeApplied = true;
                    throw e;
                }
                if (outcome.isPresent()) {
                    applied = true;
                    return outcome.get();
                }
                if (attempt >= ctx.attempts()) {
                    throw contention(attempt);
                }
                ctx.pause(attempt);
            }
        } finally {
            if (!applied && !mayBeApplied) {
                Arrays.stream(leases).forEach(ctx::revokeQuietly);
            }
        }
    }

    /**
     * {@link #commit()} without a thread waiting: the lease grants, reads and the transaction are chained on the
     * client's futures, a retry waits its back-off on a delayed executor. It fails with the exceptions
     * {@link #commit()} throws; the leases are revoked again unless the writes may have been applied.
     */
    CompletableFuture<Outcome<T>> commitAsync() {
        boolean[] mayBeApplied = {false};
        return grantLeasesAsync().thenCompose(v -> attemptsAsync(1, mayBeApplied)).whenComplete((o, e) -> {
            if (e != null && !mayBeApplied[0]) {
                Arrays.stream(leases).forEach(ctx::revokeQuietly);
            }
        });
    }

    private CompletableFuture<Outcome<T>> attemptsAsync(int attempt, boolean[] mayBeApplied) {
        return attemptAsync(mayBeApplied).thenCompose(outcome -> {
            if (outcome.isPresent()) {
                return CompletableFuture.completedFuture(outcome.get());
            }
            if (attempt >= ctx.attempts()) {
                throw contention(attempt);
            }
            return ctx.later(attempt, () -> attemptsAsync(attempt + 1, mayBeApplied));
        });
    }

    private WriteContentionException contention(int attempt) {
        return new WriteContentionException("gave up writing " + writes.size() + " resource(s) under '"
                + ctx.keys().root() + "' after " + attempt + " attempts: other clients changed the "
                + "quota places involved first every time. Nothing was written; try again", attempt);
    }

    private void grantLeases() {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).ttl() != null) {
                leases[i] = ctx.client().leases().grant(writes.get(i).ttl()).id();
            }
        }
    }

    /** The grants of {@link #grantLeases()}, all started at once; completes when every one has. */
    private CompletableFuture<Void> grantLeasesAsync() {
        List<CompletableFuture<?>> grants = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            int index = i;
            if (writes.get(i).ttl() != null) {
                grants.add(ctx.client().leases().grantAsync(writes.get(i).ttl())
                        .thenAccept(lease -> leases[index] = lease.id()));
            }
        }
        return CompletableFuture.allOf(grants.toArray(CompletableFuture[]::new));
    }

    /** One transaction; empty when it failed only on quota slots taken meanwhile. */
    private Optional<Outcome<T>> attempt() {
        List<Bytes> freeSlots = creates > 0 && ctx.quota() != null ? freeSlots() : List.of();
        List<Optional<KeyValue>> held = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            held.add(writes.get(i).kind() == Write.Kind.DELETE ? slotOf(keys[i], writes.get(i)) : Optional.empty());
        }
        Plan plan = plan(freeSlots, held);
        TxnResult result;
        try {
            result = ctx.kv().commit(plan.txn());
        } catch (TooManyOperationsException e) {
            throw new BatchTooLargeException(writes.size(), plan.ops(), e);
        }
        return outcome(result, plan);
    }

    /** {@link #attempt()}, its reads and the transaction chained; no thread waits. */
    private CompletableFuture<Optional<Outcome<T>>> attemptAsync(boolean[] mayBeApplied) {
        CompletableFuture<List<Bytes>> freeSlots = creates > 0 && ctx.quota() != null ? freeSlotsAsync()
                : CompletableFuture.completedFuture(List.of());
        List<CompletableFuture<Optional<KeyValue>>> slots = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            slots.add(writes.get(i).kind() == Write.Kind.DELETE ? slotOfAsync(keys[i], writes.get(i))
                    : CompletableFuture.completedFuture(Optional.empty()));
        }
        CompletableFuture<List<Optional<KeyValue>>> held = CompletableFuture.allOf(
                slots.toArray(CompletableFuture[]::new)).thenApply(v -> slots.stream().map(f -> f.join()).toList());
        return freeSlots.thenCombine(held, this::plan).thenCompose(plan -> ctx.kv().commitAsync(plan.txn())
                .handle((result, error) -> {
                    if (error == null) {
                        return outcome(result, plan);
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof OutcomeUnknownException) {
                        mayBeApplied[0] = true;
                    }
                    if (cause instanceof TooManyOperationsException e) {
                        throw new BatchTooLargeException(writes.size(), plan.ops(), e);
                    }
                    throw error instanceof CompletionException c ? c : new CompletionException(cause);
                }));
    }

    /** A transaction ready to send: per write, where its operation is in the success branch. */
    private record Plan(Transaction txn, int[] thenIndex, int ops) {
    }

    /** The transaction for the writes, taking {@code freeSlots} for creates and releasing {@code held} places. */
    private Plan plan(List<Bytes> freeSlots, List<Optional<KeyValue>> held) {
        List<Compare> compares = new ArrayList<>();
        List<Op> then = new ArrayList<>();
        List<Op> otherwise = new ArrayList<>();
        int[] thenIndex = new int[writes.size()];
        int slot = 0;
        for (int i = 0; i < writes.size(); i++) {
            Write<T> w = writes.get(i);
            Bytes key = keys[i];
            thenIndex[i] = then.size();
            otherwise.add(Range.key(key).keysOnly());
            switch (w.kind()) {
                case CREATE -> {
                    compares.add(Compare.absent(key));
                    then.add(leased(Put.of(key, values[i]), leases[i]));
                    if (ctx.quota() != null) {
                        Bytes slotKey = freeSlots.get(slot++);
                        compares.add(Compare.absent(slotKey));
                        then.add(leased(Put.of(slotKey, Bytes.of(w.id())), leases[i]));
                    }
                }
                case UPDATE -> {
                    compares.add(Compare.modRevision(key).equalTo(w.expectedVersion()));
                    then.add(Put.of(key, values[i]).keepLease().withPreviousValue());
                }
                case DELETE -> {
                    compares.add(Compare.modRevision(key).equalTo(w.expectedVersion()));
                    then.add(Delete.key(key).withPreviousValues());
                    if (held.get(i).isPresent()) {
                        KeyValue place = held.get(i).get();
                        compares.add(Compare.modRevision(place.key()).equalTo(place.modRevision()));
                        then.add(Delete.key(place.key()));
                    }
                }
                default -> throw new IllegalStateException(w.kind().toString());
            }
        }
        int ops = Math.max(compares.size(), Math.max(then.size(), otherwise.size()));
        return new Plan(Transaction.when(compares).then(then).otherwise(otherwise), thenIndex, ops);
    }

    /** The outcome of a sent transaction; empty when it failed only on quota slots taken meanwhile. */
    private Optional<Outcome<T>> outcome(TxnResult result, Plan plan) {
        if (result.succeeded()) {
            return Optional.of(applied(result, plan.thenIndex()));
        }
        List<Conflict> conflicts = conflicts(result);
        if (!conflicts.isEmpty()) {
            throw new BatchConflictException(writes.size(), conflicts);
        }
        return Optional.empty();
    }

    /**
     * Free quota slots for the creates. When there are too few, a create of a resource that exists is reported
     * as the conflict it is rather than as the quota being full.
     */
    private List<Bytes> freeSlots() {
        try {
            return ctx.quota().pickFree(ctx.kv(), creates);
        } catch (QuotaExceededException e) {
            List<Optional<KeyValue>> existing = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                existing.add(writes.get(i).kind() == Write.Kind.CREATE ? ctx.kv().get(keys[i]) : Optional.empty());
            }
            throw quotaOrConflict(e, existing);
        }
    }

    /** {@link #freeSlots()} with async reads. */
    private CompletableFuture<List<Bytes>> freeSlotsAsync() {
        return ctx.quota().pickFreeAsync(ctx.kv(), creates).handle((free, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(free);
            }
            if (!(unwrap(error) instanceof QuotaExceededException e)) {
                return CompletableFuture.<List<Bytes>>failedFuture(unwrap(error));
            }
            List<CompletableFuture<Optional<KeyValue>>> reads = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                reads.add(writes.get(i).kind() == Write.Kind.CREATE ? ctx.kv().getAsync(keys[i])
                        : CompletableFuture.completedFuture(Optional.empty()));
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).<List<Bytes>>thenApply(v -> {
                throw quotaOrConflict(e, reads.stream().map(f -> f.join()).toList());
            });
        }).thenCompose(f -> f);
    }

    /** The conflicts of creates whose resource exists ({@code existing}, per write), else the quota refusal. */
    private RuntimeException quotaOrConflict(QuotaExceededException e, List<Optional<KeyValue>> existing) {
        List<Conflict> conflicts = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            String id = writes.get(i).id();
            existing.get(i).ifPresent(kv -> conflicts.add(new Conflict(id, 0, kv.modRevision())));
        }
        return conflicts.isEmpty() ? e : new BatchConflictException(writes.size(), conflicts);
    }

    private static Put leased(Put put, long lease) {
        return lease == 0 ? put : put.lease(lease);
    }

    /** The quota slot held by the resource to delete, when the repository has a quota and it holds one. */
    private Optional<KeyValue> slotOf(Bytes key, Write<T> w) {
        if (ctx.quota() == null) {
            return Optional.empty();
        }
        RangeResult read = ctx.kv().range(Range.key(key));
        Optional<KeyValue> resource = read.first().filter(kv -> kv.modRevision() == w.expectedVersion());
        // a resource missing or changed fails the transaction's own compare; no slot is needed then
        return resource.flatMap(kv -> ctx.quota().heldBy(ctx.kv(), kv, w.id(), read.revision()));
    }

    /** {@link #slotOf} with async reads. */
    private CompletableFuture<Optional<KeyValue>> slotOfAsync(Bytes key, Write<T> w) {
        if (ctx.quota() == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return ctx.kv().rangeAsync(Range.key(key)).thenCompose(read -> {
            Optional<KeyValue> resource = read.first().filter(kv -> kv.modRevision() == w.expectedVersion());
            return resource.isEmpty() ? CompletableFuture.completedFuture(Optional.<KeyValue>empty())
                    : ctx.quota().heldByAsync(ctx.kv(), resource.get(), w.id(), read.revision());
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private Outcome<T> applied(TxnResult result, int[] thenIndex) {
        long revision = result.revision();
        List<Versioned<T>> written = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            Write<T> w = writes.get(i);
            switch (w.kind()) {
                case CREATE -> written.add(ctx.codec().written(w.id(), w.value(), revision, revision, leases[i]));
                case UPDATE -> {
                    KeyValue before = result.putResult(thenIndex[i]).previous().orElseThrow();
                    written.add(ctx.codec().written(w.id(), w.value(), revision, before.createRevision(),
                            before.lease()));
                }
                case DELETE -> {
                    result.deleteResult(thenIndex[i]).previous().forEach(kv -> ctx.revokeQuietly(kv.lease()));
                    written.add(null);
                }
                default -> throw new IllegalStateException(w.kind().toString());
            }
        }
        return new Outcome<>(revision, written);
    }

    private List<Conflict> conflicts(TxnResult result) {
        List<Conflict> out = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Write<T> w = writes.get(i);
            long current = result.rangeResult(i).first().map(KeyValue::modRevision).orElse(0L);
            if (current != w.expectedVersion()) {
                out.add(new Conflict(w.id(), w.expectedVersion(), current));
            }
        }
        return out;
    }

    /** The exception a single write throws for its conflict: exists, not found, or version conflict. */
    static EtcdException single(Write<?> w, Conflict c) {
        if (w.kind() == Write.Kind.CREATE) {
            return new ResourceExistsException(w.id(), c.currentVersion());
        }
        if (c.currentVersion() == 0) {
            return new ResourceNotFoundException(w.id());
        }
        return new VersionConflictException(w.id(), w.expectedVersion(), c.currentVersion());
    }
}
