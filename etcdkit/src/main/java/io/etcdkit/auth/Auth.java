package io.etcdkit.auth;

/**
 * Authentication and role administration: enable/disable, users, roles and permissions. Thread-safe.
 */
public interface Auth {
}
