package io.etcdkit.kv;

/**
 * One operation inside a {@link Transaction}: a {@link Range} read, a {@link Put}, a {@link Delete}, or a nested
 * {@link Transaction}. Every operation is an immutable value and can be reused.
 */
public sealed interface Op permits Range, Put, Delete, Transaction {
}
