package io.etcdkit.codec;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.Futures;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The KV-level move behind {@link EncryptedCodec#moveAsync}: read the source, re-encrypt its envelope for the
 * target's name, and commit the put and the delete in one transaction guarded by the source's mod revision and
 * the target's absence. The plaintext never leaves {@link EncryptedCodec#reencrypt}.
 */
final class EncryptedMove {
    private EncryptedMove() {
    }

    static CompletableFuture<Boolean> move(EncryptedCodec<?> codec, Kv kv, Bytes from, Bytes to) {
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isEmpty() || to.isEmpty()) {
            return Futures.failed(new InvalidArgumentException("cannot move an encrypted value from '" + from
                    + "' to '" + to + "': keys must not be empty"));
        }
        if (from.equals(to)) {
            return Futures.failed(new InvalidArgumentException("cannot move encrypted key '" + from
                    + "' onto itself; use EncryptedCodec.rotate(..) to re-encrypt a value in place"));
        }
        return kv.getAsync(from).thenCompose(current -> {
            if (current.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            KeyValue source = current.get();
            // Authenticates the value under its current name first: a DecryptionException fails the move unchanged.
            Bytes moved = codec.reencrypt(from, to, source.value());
            Put put = Put.of(to, moved);
            if (source.lease() != 0) {
                put = put.lease(source.lease());
            }
            return kv.commitAsync(Transaction
                            .when(Compare.modRevision(from).equalTo(source.modRevision()), Compare.absent(to))
                            .then(put, Delete.key(from)))
                    .thenApply(TxnResult::succeeded);
        });
    }
}
