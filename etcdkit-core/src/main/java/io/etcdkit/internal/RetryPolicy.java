package io.etcdkit.internal;

/**
 * How a failed attempt may be repeated.
 */
enum RetryPolicy {
    /** The server refused the request before applying anything: any request, write or read, may be retried. */
    SAFE,
    /** The request may have been applied: only reads may be retried; a write's outcome is unknown. */
    READS_ONLY,
    /** The auth token was refused: fetch a new token, then retry (nothing was applied). */
    REFRESH_TOKEN,
    /** The failure is final. */
    NEVER
}
