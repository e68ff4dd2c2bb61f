/**
 * Real etcd members for tests: no Docker, no mocks.
 *
 * <p>{@link io.etcdkit.testing.EtcdCluster} launches one or more local {@code etcd} processes on free
 * loopback ports (optionally with TLS, mutual TLS and authentication), waits until they are healthy and
 * have elected a leader, and offers fault injection on each {@link io.etcdkit.testing.EtcdMember}
 * (kill, stop, restart, pause, resume). {@link io.etcdkit.testing.EtcdClusterExtension} wires a cluster
 * into the lifecycle of a JUnit 5 test class.
 *
 * <p>The {@code etcd} binary is taken from the {@code ETCD_BIN} environment variable, the
 * {@code etcd.bin} system property or the {@code PATH}; see {@link io.etcdkit.testing.EtcdBinaryNotFoundException}.
 * Health, status and authentication set-up use etcd's JSON gRPC gateway, so this module does not depend on any
 * etcd client library.
 */
package io.etcdkit.testing;
