/**
 * Watch-fed local copies of etcd data: {@link io.etcdkit.recipes.cache.CachedView} mirrors a prefix and
 * {@link io.etcdkit.recipes.cache.CachedValue} one configuration key with a default. Both are fed by a
 * snapshot-then-watch subscription, serve lock-free reads from an immutable snapshot, keep the last good state
 * through outages, re-sync exactly after compaction, and report malformed values without breaking readers.
 */
package io.etcdkit.recipes.cache;
