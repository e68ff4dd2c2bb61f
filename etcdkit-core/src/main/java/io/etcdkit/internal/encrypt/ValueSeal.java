package io.etcdkit.internal.encrypt;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.kv.Compare;
import java.util.List;
import java.util.Optional;

/**
 * Encrypts and decrypts the values of an encrypted client view. Each value is bound to its full etcd key (the
 * view's namespace followed by the key), so the same value reads alike through any namespace view and a
 * ciphertext copied to another key is refused. An empty stored value is read as empty: an envelope is never empty,
 * and keys-only reads carry none. Immutable and thread-safe.
 */
final class ValueSeal {
    private final EncryptedCodec<Bytes> codec;
    private final Bytes namespace;

    ValueSeal(KeyRing keys, Bytes namespace) {
        this.codec = EncryptedCodec.of(keys, Codecs.bytes());
        this.namespace = namespace;
    }

    KeyRing keyRing() {
        return codec.keyRing();
    }

    ValueSeal inNamespace(Bytes fullNamespace) {
        return new ValueSeal(codec.keyRing(), fullNamespace);
    }

    Bytes seal(Bytes key, Bytes plaintext) {
        return codec.encode(namespace.concat(key), plaintext);
    }

    /**
     * The plaintext of a stored value.
     *
     * @throws io.etcdkit.codec.DecryptionException when it is not an envelope, names a key the ring lacks, or
     *     fails authentication
     */
    Bytes open(Bytes key, Bytes stored) {
        return stored.isEmpty() ? stored : codec.decode(namespace.concat(key), stored);
    }

    KeyValue open(KeyValue kv) {
        if (kv.value().isEmpty()) {
            return kv;
        }
        return new KeyValue(kv.key(), open(kv.key(), kv.value()), kv.createRevision(), kv.modRevision(),
                kv.version(), kv.lease());
    }

    Optional<KeyValue> open(Optional<KeyValue> kv) {
        return kv.map(this::open);
    }

    List<KeyValue> open(List<KeyValue> kvs) {
        return kvs.stream().map(this::open).toList();
    }

    /** Compares on values are refused: ciphertexts have random nonces, so equal values never compare equal. */
    static Compare check(Compare compare) {
        if (compare.target() == Compare.Target.VALUE) {
            throw new InvalidArgumentException("a transaction of an encrypted client view cannot compare the value "
                    + "of '" + compare.key() + "': stored values are ciphertexts with random nonces, so equal values "
                    + "never compare equal. Compare the mod revision (or version) you read instead, e.g. "
                    + "Compare.modRevision(key).equalTo(kv.modRevision())");
        }
        return compare;
    }
}
