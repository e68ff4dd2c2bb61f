package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Repository#set}: creates or overwrites a resource whatever its version. Without a quota it is one
 * transaction: "exists ? overwrite on its lease : create". When the value has labels that are not valid here, the
 * stored version is read to keep its foreign labels, and that version is then required (retried on a conflict).
 * With a quota a create must take a place, so it is a create or an update of the version just read, retried.
 */
final class Upsert<T> {
    private final Context<T> ctx;
    private final String id;
    private final T value;
    private final Bytes key;

    Upsert(Context<T> ctx, String id, T value) {
        this.ctx = ctx;
        this.id = id;
        this.value = value;
        this.key = ctx.keys().key(id);
    }

    Versioned<T> commit(Repository<T> repository) {
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Versioned<T>> written = ctx.quota() == null ? once() : viaCreateOrUpdate(repository);
                if (written.isPresent()) {
                    return written.get();
                }
            } catch (ResourceExistsException | ResourceNotFoundException | VersionConflictException e) {
                // someone else created, deleted or wrote it between our read and our write: read again
            }
            if (attempt >= ctx.attempts()) {
                throw new WriteContentionException("gave up setting resource '" + id + "' after " + attempt
                        + " attempts: other writers changed it before every one. Nothing was written; try again",
                        attempt);
            }
            ctx.pause(attempt);
        }
    }

    private Optional<Versioned<T>> viaCreateOrUpdate(Repository<T> repository) {
        Optional<KeyValue> current = ctx.kv().get(key);
        return Optional.of(current.isEmpty() ? repository.create(id, value)
                : repository.update(id, value, current.get().modRevision()));
    }

    /** One transaction; empty when the version whose labels were kept changed meanwhile. */
    private Optional<Versioned<T>> once() {
        long[] required = {-1}; // the version whose labels were kept (0: absent), -1 when none was read
        Bytes bytes = ctx.codec().encode(key, id, value, () -> {
            Optional<KeyValue> stored = ctx.kv().get(key);
            required[0] = stored.map(KeyValue::modRevision).orElse(0L);
            return stored.map(kv -> ctx.codec().decode(kv).labels()).orElse(Map.of());
        });
        Put overwrite = Put.of(key, bytes).keepLease().withPreviousValue();
        Put create = Put.of(key, bytes);
        Transaction txn = required[0] < 0 ? Transaction.when(Compare.exists(key)).then(overwrite).otherwise(create)
                : Transaction.when(Compare.modRevision(key).equalTo(required[0]))
                        .then(required[0] > 0 ? overwrite : create);
        TxnResult result = ctx.kv().commit(txn);
        if (!result.succeeded() && required[0] >= 0) {
            return Optional.empty();
        }
        PutResult put = result.putResult(0);
        long createRevision = put.previous().map(KeyValue::createRevision).orElse(result.revision());
        long lease = put.previous().map(KeyValue::lease).orElse(0L);
        return Optional.of(ctx.codec().written(id, value, result.revision(), createRevision, lease));
    }
}
