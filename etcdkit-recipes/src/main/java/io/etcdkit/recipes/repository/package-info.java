/**
 * Typed resources in etcd: {@link io.etcdkit.recipes.repository.Repository} stores JSON values under a prefix,
 * one key per resource id, with optimistic concurrency on the resource's version (its key's modification
 * revision, compared in a real etcd transaction), Kubernetes-style label selectors
 * ({@link io.etcdkit.recipes.repository.LabelSelector}), paged listing at one revision, typed watch events, TTL
 * resources on leases, version history, all-or-nothing {@link io.etcdkit.recipes.repository.Batch batches}, and
 * an optional quota enforced atomically across clients.
 */
package io.etcdkit.recipes.repository;
