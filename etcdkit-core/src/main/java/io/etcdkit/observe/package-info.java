/**
 * Observability: one listener SPI that sees what the client and the recipes do — every call with its member,
 * duration and outcome, retries and member fail-overs, watch streams, leases, and the recipes' own figures
 * (lock wait and hold times, election changes, cache state and size, registry changes).
 *
 * <p>Register an {@link io.etcdkit.observe.EtcdListener} with
 * {@link io.etcdkit.EtcdClientBuilder#listener(EtcdListener)}; the {@code etcdkit-micrometer} module binds it to a
 * Micrometer {@code MeterRegistry} and {@code ObservationRegistry}. Core has no metrics dependency.
 */
package io.etcdkit.observe;
