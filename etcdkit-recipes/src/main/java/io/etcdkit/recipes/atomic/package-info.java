/**
 * Atomic values shared through etcd: {@link io.etcdkit.recipes.atomic.AtomicCounter}, a 64-bit counter on one
 * key that applies every update exactly once, even across unknown outcomes.
 */
package io.etcdkit.recipes.atomic;
