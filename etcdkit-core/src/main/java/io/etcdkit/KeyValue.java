package io.etcdkit;

import java.util.Objects;

/**
 * One key as stored in etcd, with its metadata.
 *
 * @param key the key (without the client's namespace prefix, if the client has one)
 * @param value the value; empty for keys-only reads
 * @param createRevision the revision of the transaction that created the key (since its last deletion)
 * @param modRevision the revision of the last change to the key
 * @param version the number of changes since the key was created (1 after the first put)
 * @param lease the id of the lease the key is attached to, or 0 when it has none
 */
public record KeyValue(Bytes key, Bytes value, long createRevision, long modRevision, long version, long lease) {
    /**
     * Checks that key and value are present.
     *
     * @param key the key
     * @param value the value
     * @param createRevision the create revision
     * @param modRevision the mod revision
     * @param version the version
     * @param lease the lease id
     */
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The key as UTF-8 text.
     *
     * @return the key as UTF-8 text
     */
    public String keyAsString() {
        return key.toStringUtf8();
    }

    /**
     * The value as UTF-8 text.
     *
     * @return the value as UTF-8 text
     */
    public String valueAsString() {
        return value.toStringUtf8();
    }
}
