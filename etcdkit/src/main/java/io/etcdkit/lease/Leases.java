package io.etcdkit.lease;

/**
 * Leases: grant, revoke, time-to-live and keep-alive. Thread-safe.
 */
public interface Leases {
}
