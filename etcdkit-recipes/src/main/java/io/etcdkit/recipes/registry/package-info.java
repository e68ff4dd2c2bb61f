/**
 * Service registry and discovery: {@link io.etcdkit.recipes.registry.ServiceRegistry} registers instances under a
 * session lease (so a crashed process's entries vanish within the TTL, and a closed registration's at once), looks
 * them up, and follows them through {@link io.etcdkit.recipes.registry.ServiceWatch}, a watch-fed cached list from
 * which an {@link io.etcdkit.recipes.registry.InstanceProvider} picks instances (round-robin, random or sticky,
 * skipping instances marked down).
 */
package io.etcdkit.recipes.registry;
