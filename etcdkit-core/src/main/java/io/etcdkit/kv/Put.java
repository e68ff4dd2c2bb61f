package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;

/**
 * A write of one key. Immutable: every option returns a new value.
 *
 * <pre>{@code
 * kv.put(Put.of("service/a", "10.0.0.1:80").lease(lease.id()).withPreviousValue());
 * }</pre>
 */
public final class Put implements Op {
    private final Bytes key;
    private final Bytes value;
    private final long lease;
    private final boolean previous;
    private final boolean ignoreValue;
    private final boolean ignoreLease;

    private Put(Bytes key, Bytes value, long lease, boolean previous, boolean ignoreValue, boolean ignoreLease) {
        this.key = key;
        this.value = value;
        this.lease = lease;
        this.previous = previous;
        this.ignoreValue = ignoreValue;
        this.ignoreLease = ignoreLease;
    }

    /**
     * Writes {@code value} at {@code key}. An empty key is an {@link InvalidArgumentException}.
     *
     * @param key the key
     * @param value the value
     * @return a {@code Put} that writes {@code value} at {@code key}
     */
    public static Put of(Bytes key, Bytes value) {
        return new Put(Keys.key(key, "the key to write"), Keys.nonNull(value, "value"), 0, false, false, false);
    }

    /**
     * Writes UTF-8 text.
     *
     * @param key the key
     * @param value the value
     * @return a {@code Put} that writes UTF-8 text
     */
    public static Put of(String key, String value) {
        return of(Keys.text(key, "the key to write"), Keys.text(value, "value"));
    }

    /**
     * Attaches the key to a lease: the key is deleted when the lease ends.
     *
     * @param leaseId the lease id
     * @return a {@code Put} that attaches the key to a lease: the key is deleted when the lease ends
     */
    public Put lease(long leaseId) {
        if (leaseId <= 0) {
            throw new InvalidArgumentException("a lease id is positive, got " + leaseId
                    + "; grant a lease first (client.leases().grant(..))");
        }
        return new Put(key, value, leaseId, previous, ignoreValue, false);
    }

    /**
     * Returns the key's previous value in {@link PutResult#previous()}.
     *
     * @return the key's previous value in {@link PutResult#previous()}
     */
    public Put withPreviousValue() {
        return new Put(key, value, lease, true, ignoreValue, ignoreLease);
    }

    /**
     * Keeps the current value and changes only the lease (the key must exist).
     *
     * @return a {@code Put} that keeps the current value and changes only the lease (the key must exist)
     */
    public Put keepValue() {
        return new Put(key, Bytes.EMPTY, lease, previous, true, ignoreLease);
    }

    /**
     * Keeps the current lease and changes only the value (the key must exist).
     *
     * @return a {@code Put} that keeps the current lease and changes only the value (the key must exist)
     */
    public Put keepLease() {
        return new Put(key, value, 0, previous, ignoreValue, true);
    }

    /**
     * The key.
     *
     * @return the key
     */
    public Bytes key() {
        return key;
    }

    /**
     * The value (empty when {@link #keepValue()} is set).
     *
     * @return the value (empty when {@link #keepValue()} is set)
     */
    public Bytes value() {
        return value;
    }

    /**
     * The lease id, 0 for none.
     *
     * @return the lease id, 0 for none
     */
    public long leaseId() {
        return lease;
    }

    /**
     * Whether the previous value is returned.
     *
     * @return whether the previous value is returned
     */
    public boolean returnsPrevious() {
        return previous;
    }

    /**
     * Whether the current value is kept.
     *
     * @return whether the current value is kept
     */
    public boolean keepsValue() {
        return ignoreValue;
    }

    /**
     * Whether the current lease is kept.
     *
     * @return whether the current lease is kept
     */
    public boolean keepsLease() {
        return ignoreLease;
    }

    @Override
    public String toString() {
        return "put key '" + key + "'";
    }
}
