package io.etcdkit.testing.nemesis;

import java.util.List;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;

/**
 * Network partitions between the members of one local {@link EtcdCluster}, made with {@code iptables} rules on
 * the loopback interface that touch only this cluster's ports.
 *
 * <p>Every rule carries the comment {@code etcdkit-nemesis:<jvm pid>:<cluster id>}; {@link #heal()} and
 * {@link #close()} remove exactly this instance's rules, a JVM shutdown hook heals every open instance, and
 * {@link #removeStale()} removes rules left by JVMs that died. DROP rules make connections hang (packets vanish),
 * as on a real network partition.
 *
 * <p>Thread safety: all methods may be called from any thread; changes are serialized per instance.
 */
public final class Partitions implements AutoCloseable {

    private Partitions() {
    }

    /**
     * Whether partitions can be injected on this machine: {@code iptables} is installed and permitted (root), and
     * members can be placed in their own cgroup so that their connections are told apart.
     *
     * @return the availability, with the reason when unavailable
     */
    public static Availability probe() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Partitions for the members of {@code cluster}; no rule is installed yet. Removes stale rules of dead JVMs
     * first ({@link #removeStale()}).
     *
     * @param cluster a started cluster
     * @return a new instance with no rules
     * @throws PartitionsUnavailableException if {@link #probe()} says partitions are unavailable (the message says
     *                                        why), or a member was not launched in its own cgroup
     * @throws IllegalStateException          if the cluster is not started
     */
    public static Partitions of(EtcdCluster cluster) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Cuts {@code member} off from its peers in both directions; its client port stays reachable. Same as
     * {@code split(List.of(member), others)}.
     *
     * @param member a member of this cluster
     * @throws IllegalArgumentException if the member is not of this cluster
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be installed
     */
    public void isolate(EtcdMember member) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Cuts every peer link between side {@code a} and side {@code b} (both directions); links within a side stay.
     *
     * @param a one side, not empty
     * @param b the other side, not empty, disjoint from {@code a}
     * @throws IllegalArgumentException if a side is empty, the sides overlap, or a member is not of this cluster
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be installed
     */
    public void split(List<EtcdMember> a, List<EtcdMember> b) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Makes the client port of {@code member} unreachable (new and existing connections hang); its peers still
     * reach it.
     *
     * @param member a member of this cluster
     * @throws IllegalArgumentException if the member is not of this cluster
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be installed
     */
    public void cutClients(EtcdMember member) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Removes every rule this instance installed. Idempotent.
     *
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be removed (the message names it)
     */
    public void heal() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Same as {@link #heal()}; the instance may still be used afterwards. */
    @Override
    public void close() {
        heal();
    }

    /**
     * Removes the rules of every {@code etcdkit-nemesis} tag whose JVM pid is no longer alive; rules of live
     * processes (this JVM or others) are kept. Does nothing when iptables is unavailable.
     *
     * @return how many rules were removed
     */
    public static int removeStale() {
        throw new UnsupportedOperationException("TODO");
    }
}
