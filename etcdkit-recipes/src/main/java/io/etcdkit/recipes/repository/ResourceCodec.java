package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns values into stored bytes and key-values into {@link Versioned} resources: the value codec plus the label
 * extractor, and the error messages that name the resource. The codec is given each resource's key as the
 * client's KV sees it (what encryption binds the value to). Immutable and thread-safe when its parts are.
 */
final class ResourceCodec<T> {
    private final KeyBoundCodec<T> codec;
    private final Function<? super T, Map<String, String>> labels;
    private final ResourceKeys keys;

    ResourceCodec(KeyBoundCodec<T> codec, Function<? super T, Map<String, String>> labels, ResourceKeys keys) {
        this.codec = codec;
        this.labels = labels;
        this.keys = keys;
    }

    /**
     * The bytes to store for resource {@code id} at {@code key}, after checking the labels it sets.
     *
     * @param kept the labels of the version this write replaces, kept as they are even when not valid here
     *             (asked only when a label is invalid)
     */
    Bytes encode(Bytes key, String id, T value, Supplier<Map<String, String>> kept) {
        Objects.requireNonNull(value, "value");
        LabelRules.check(labelsOf(id, value), id, kept);
        return codec.encode(key, value);
    }

    /** The labels of a value, never null. */
    Map<String, String> labelsOf(String id, T value) {
        Map<String, String> l = labels.apply(value);
        if (l == null) {
            throw new InvalidArgumentException("the label extractor returned null for resource '" + id
                    + "'; return an empty map for a resource without labels");
        }
        return l;
    }

    /** The resource stored in {@code kv}; a value the codec cannot read names the resource and its key. */
    Versioned<T> decode(KeyValue kv) {
        String id = keys.id(kv.key());
        T value;
        try {
            value = codec.decode(kv);
        } catch (ValueDecodingException e) {
            throw new ValueDecodingException(e.codec(), "resource '" + id + "' (key '" + kv.keyAsString()
                    + "', version " + kv.modRevision() + ") cannot be read: " + e.getMessage(), e);
        }
        return new Versioned<>(id, value, kv.modRevision(), kv.createRevision(), labelsOf(id, value), kv.lease());
    }

    /** A resource just written: its value is the caller's, its metadata from the write. */
    Versioned<T> written(String id, T value, long version, long createRevision, long leaseId) {
        return new Versioned<>(id, value, version, createRevision, labelsOf(id, value), leaseId);
    }

    @Override
    public String toString() {
        return codec.toString();
    }
}
