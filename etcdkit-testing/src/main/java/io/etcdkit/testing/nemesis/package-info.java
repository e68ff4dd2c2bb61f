/**
 * Fault injection for soak tests: {@link io.etcdkit.testing.nemesis.Partitions} cuts links between local etcd
 * members with the kernel's packet filter, and {@link io.etcdkit.testing.nemesis.Nemesis} runs a seeded random
 * schedule of faults (kill, pause, partitions, compaction, defragmentation, lease revocation, member replacement),
 * one at a time, recording each {@link io.etcdkit.testing.nemesis.FaultWindow}.
 */
package io.etcdkit.testing.nemesis;
