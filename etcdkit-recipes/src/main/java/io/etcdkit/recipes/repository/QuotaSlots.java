package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The quota of a repository as a fixed set of slot keys {@code .etcdkit/repository/root/quota/slot/0 .. N-1}
 * (outside the resource prefix; slots taken by earlier versions under {@code root/.quota/slot/} still count and
 * are released by the delete of their resource, so existing data needs no migration). A resource holds one
 * slot: the slot is created in the create's transaction under the compare "slot absent" and on the resource's
 * lease, and deleted in the delete's transaction. Since only N slot names exist, at most N resources can hold
 * one, whatever the interleaving of creates from any number of clients; and since a slot shares its resource's
 * lease and transaction, it disappears exactly when the resource does, also when the lease expires, so the
 * count never drifts (a counter key would: lease expiry deletes keys without running our decrement).
 *
 * <p>The slot's value is the resource id, and it is created in the same transaction as the resource, so it has
 * the same create revision: that is how a delete finds the slot of a resource without any index key.
 * Immutable and thread-safe.
 */
final class QuotaSlots {
    private static final int PAGE = 1000;

    private final int quota;
    private final String prefix;
    private final String legacyPrefix;
    private final String root;

    QuotaSlots(ResourceKeys keys, int quota) {
        this.quota = quota;
        this.prefix = keys.bookkeeping("quota/slot/");
        this.legacyPrefix = keys.legacyBookkeeping("quota/slot/");
        this.root = keys.root();
    }

    int quota() {
        return quota;
    }

    /**
     * Reads which slots are taken (one linearizable paged read at one revision) and picks {@code count} free ones
     * at random, so concurrent creators rarely pick the same slot.
     *
     * @throws QuotaExceededException when fewer than {@code count} are free
     */
    List<Bytes> pickFree(Kv kv, int count) {
        Set<Integer> taken = new HashSet<>();
        int inUse = 0;
        for (String p : List.of(prefix, legacyPrefix)) {
            try (Stream<KeyValue> slots = kv.scan(Range.prefix(p).keysOnly(), PAGE)) {
                for (KeyValue slot : (Iterable<KeyValue>) slots::iterator) {
                    inUse++;
                    taken.add(index(slot.key(), p));
                }
            }
        }
        return pickFree(taken, inUse, count);
    }

    /** {@code count} free slots at random, given the taken ones; the quota error when too few are free. */
    private List<Bytes> pickFree(Set<Integer> taken, int inUse, int count) {
        if (inUse + count > quota) {
            throw new QuotaExceededException(root, quota, inUse, count);
        }
        List<Integer> free = new ArrayList<>(quota - taken.size());
        for (int i = 0; i < quota; i++) {
            if (!taken.contains(i)) {
                free.add(i);
            }
        }
        Collections.shuffle(free, ThreadLocalRandom.current());
        List<Bytes> picked = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picked.add(key(free.get(i)));
        }
        return picked;
    }

    /**
     * The slot held by {@code resource} as of {@code revision}: the slot created in the same transaction (same
     * create revision) whose value is the resource's id. Empty when it holds none (created before the quota was
     * configured, or its slot was removed by hand).
     */
    /**
     * Async form of {@link #pickFree}: the same paged reads of the place keys, chained.
     *
     * @return a future of {@code count} free places, failing with {@link QuotaExceededException} when too few
     */
    CompletableFuture<List<Bytes>> pickFreeAsync(Kv kv, int count) {
        Set<Integer> taken = new HashSet<>();
        int[] inUse = {0};
        return takenAsync(kv, prefix, Range.prefix(prefix).keysOnly().limit(PAGE), taken, inUse)
                .thenCompose(v -> takenAsync(kv, legacyPrefix, Range.prefix(legacyPrefix).keysOnly().limit(PAGE),
                        taken, inUse))
                .thenApply(v -> pickFree(taken, inUse[0], count));
    }

    private static CompletableFuture<Void> takenAsync(Kv kv, String slots, Range page, Set<Integer> taken,
            int[] inUse) {
        return kv.rangeAsync(page).thenCompose(r -> {
            for (KeyValue slot : r.kvs()) {
                inUse[0]++;
                taken.add(index(slot.key(), slots));
            }
            if (!r.more() || r.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Bytes after = r.kvs().get(r.kvs().size() - 1).key().concat(Bytes.of(new byte[] {0}));
            return takenAsync(kv, slots, page.startingAt(after).atRevision(r.revision()), taken, inUse);
        });
    }

    /**
     * Async form of {@link #heldBy}.
     *
     * @return a future of the place held by {@code resource}, or empty
     */
    CompletableFuture<Optional<KeyValue>> heldByAsync(Kv kv, KeyValue resource, String id, long revision) {
        return heldByAsync(kv, prefix, resource, id, revision).thenCompose(held -> held.isPresent()
                ? CompletableFuture.completedFuture(held) : heldByAsync(kv, legacyPrefix, resource, id, revision));
    }

    private static CompletableFuture<Optional<KeyValue>> heldByAsync(Kv kv, String slots, KeyValue resource,
            String id, long revision) {
        Bytes owner = Bytes.of(id);
        return kv.rangeAsync(sameTransaction(slots, resource, revision))
                .thenApply(r -> r.kvs().stream().filter(s -> s.value().equals(owner)).findFirst());
    }

    private static Range sameTransaction(String slots, KeyValue resource, long revision) {
        return Range.prefix(slots).minCreateRevision(resource.createRevision())
                .maxCreateRevision(resource.createRevision()).atRevision(revision);
    }

    Optional<KeyValue> heldBy(Kv kv, KeyValue resource, String id, long revision) {
        Optional<KeyValue> held = heldBy(kv, prefix, resource, id, revision);
        return held.isPresent() ? held : heldBy(kv, legacyPrefix, resource, id, revision);
    }

    private static Optional<KeyValue> heldBy(Kv kv, String slots, KeyValue resource, String id, long revision) {
        Bytes owner = Bytes.of(id);
        return kv.range(sameTransaction(slots, resource, revision)).kvs().stream().filter(s -> s.value().equals(owner)).findFirst();
    }

    Bytes key(int index) {
        return Bytes.of(prefix + index);
    }

    /** The slot number of a slot key; -1 for a key that is not a number (never written by a repository). */
    private static int index(Bytes key, String slots) {
        try {
            return Integer.parseInt(key.toStringUtf8().substring(slots.length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
