package io.etcdkit.testing.nemesis;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.etcdkit.testing.ControlGroups;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.EtcdTestingException;

/**
 * Network partitions between the members of one local {@link EtcdCluster}, made with {@code iptables} rules on
 * the loopback interface that touch only this cluster's ports.
 *
 * <p>How a link is cut: members dial their peers from ephemeral ports, so a rule on a member's peer port alone
 * cuts only the connections others open to it, and the member still receives the leader's entries over the
 * connections it opened itself (an asymmetric partition). So every member runs in its own cgroup
 * ({@link EtcdMember#controlGroup()}); a {@code mangle} rule marks each connection that a member of one side opens
 * to a peer port of the other side ({@code -m cgroup} on the SYN, {@code CONNMARK}), and a {@code filter} rule
 * drops every packet of a marked connection in both directions. Connections already open are marked by the next
 * packet their opener sends (at most one packet gets through). {@link #isolate(EtcdMember)} also drops everything
 * to and from the member's peer port, {@link #cutClients(EtcdMember)} everything to and from its client port.
 *
 * <p>Every rule carries the comment {@code etcdkit-nemesis:<jvm pid>:<cluster id>} (the cluster id is its first
 * member's client port); {@link #heal()} and {@link #close()} remove exactly this instance's rules, a JVM shutdown
 * hook heals every instance, and {@link #removeStale()} removes rules left by JVMs that died (rules of live JVMs,
 * which may run their own partitions, are kept). DROP makes connections hang (packets vanish), as on a real
 * network partition; etcd's members notice by their own timeouts. The rules act on the member processes running
 * when they are installed and on later ones (a restarted member joins its cgroup again).
 *
 * <p>Thread safety: all methods may be called from any thread; changes are serialized per instance.
 */
public final class Partitions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
    static final String TAG_PREFIX = "etcdkit-nemesis:";
    private static final int MARK_MASK = 0x0fff0000;
    private static final AtomicInteger MARKS = new AtomicInteger();
    private static final Set<Partitions> OPEN = ConcurrentHashMap.newKeySet();
    /** Whether the kernel has every match the rules use: checked once per JVM ({@code null} until then). */
    private static final AtomicReference<Optional<String>> MATCHES_MISSING = new AtomicReference<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Partitions::healAllOnExit, "etcdkit-nemesis-heal"));
    }

    private final EtcdCluster cluster;
    private final String tag;
    private final ReentrantLock lock = new ReentrantLock();

    private Partitions(EtcdCluster cluster, String tag) {
        this.cluster = cluster;
        this.tag = tag;
    }

    /**
     * Whether partitions can be injected on this machine: {@code iptables} is installed and permitted (root), and
     * members can be placed in their own cgroup so that their connections are told apart.
     *
     * @return the availability, with the reason when unavailable
     */
    public static Availability probe() {
        Optional<String> iptables = whyNoIptables();
        if (iptables.isPresent()) {
            return Availability.no(iptables.get());
        }
        Optional<String> groups = ControlGroups.whyUnavailable();
        if (groups.isPresent()) {
            return Availability.no(groups.get());
        }
        Optional<String> matches = MATCHES_MISSING.updateAndGet(known -> known != null ? known : whyNoMatches());
        return matches.map(Availability::no).orElseGet(Availability::yes);
    }

    /**
     * Installs and removes one rule of each form the partitions use ({@code -m cgroup}, {@code CONNMARK},
     * {@code -m connmark}, {@code -m multiport}), so that a kernel without these matches is reported by
     * {@link #probe()} rather than by the first fault.
     */
    private static Optional<String> whyNoMatches() {
        String tag = TAG_PREFIX + ProcessHandle.current().pid() + ":probe";
        List<List<String>> rules = List.of(
                List.of("-t", "mangle", "-A", Iptables.CHAIN, "-o", "lo", "-p", "tcp", "-m", "cgroup", "--path", "/",
                        "-m", "multiport", "--dports", "1", "-m", "comment", "--comment", tag, "-j", "CONNMARK",
                        "--set-mark", String.format("0x%08x/0x%08x", 1 << 16, MARK_MASK)),
                List.of("-t", "filter", "-A", Iptables.CHAIN, "-o", "lo", "-p", "tcp", "-m", "connmark", "--mark",
                        String.format("0x%08x/0x%08x", 1 << 16, MARK_MASK), "-m", "multiport", "--ports", "1", "-m",
                        "comment", "--comment", tag, "-j", "DROP"));
        try {
            for (List<String> rule : rules) {
                Iptables.require(rule);
            }
            return Optional.empty();
        } catch (EtcdTestingException e) {
            return Optional.of("the packet filter lacks a match the partitions need (cgroup, connmark, CONNMARK or "
                    + "multiport): " + e.getMessage());
        } finally {
            for (String table : Iptables.TABLES) {
                for (List<String> rule : Iptables.list(table)) {
                    if (tag.equals(Iptables.comment(rule))) {
                        Iptables.delete(table, rule);
                    }
                }
            }
        }
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
        Objects.requireNonNull(cluster, "cluster");
        Availability availability = probe();
        if (!availability.available()) {
            throw new PartitionsUnavailableException("Network partitions are unavailable here: "
                    + availability.reason());
        }
        for (EtcdMember m : cluster.members()) {
            if (m.controlGroup().isEmpty()) {
                throw new PartitionsUnavailableException("Member " + m.name() + " was not launched in its own cgroup, "
                        + "so its connections cannot be told apart; start the cluster after the cgroup v2 hierarchy "
                        + "is writable (root) and without -Detcdkit.testing.cgroups=false");
            }
        }
        removeStale();
        Partitions partitions = new Partitions(cluster,
                TAG_PREFIX + ProcessHandle.current().pid() + ":" + port(cluster.member(0).clientEndpoint()));
        OPEN.add(partitions);
        return partitions;
    }

    /**
     * Cuts {@code member} off from its peers in both directions; its client port stays reachable. Same as
     * {@code split(List.of(member), others)} plus rules on the member's peer port as destination and as source.
     *
     * @param member a member of this cluster
     * @throws IllegalArgumentException if the member is not of this cluster
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be installed
     */
    public void isolate(EtcdMember member) {
        requireOwn(member);
        List<EtcdMember> others = cluster.members().stream().filter(m -> m != member).collect(Collectors.toList());
        lock.lock();
        try {
            int peer = port(member.peerEndpoint());
            install("filter", List.of("-p", "tcp", "--dport", Integer.toString(peer)), "DROP");
            install("filter", List.of("-p", "tcp", "--sport", Integer.toString(peer)), "DROP");
            cut(List.of(member), others);
            LOG.info("Partitions: isolated {} from {}", member.name(), names(others));
        } finally {
            lock.unlock();
        }
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
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException("Both sides of a split need a member; got " + names(a) + " | "
                    + names(b));
        }
        Set<EtcdMember> seen = new HashSet<>();
        for (EtcdMember m : a) {
            requireOwn(m);
            seen.add(m);
        }
        for (EtcdMember m : b) {
            requireOwn(m);
            if (seen.contains(m)) {
                throw new IllegalArgumentException("Member " + m.name() + " is on both sides of the split "
                        + names(a) + " | " + names(b));
            }
        }
        lock.lock();
        try {
            cut(a, b);
            LOG.info("Partitions: split {} | {}", names(a), names(b));
        } finally {
            lock.unlock();
        }
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
        requireOwn(member);
        lock.lock();
        try {
            int client = port(member.clientEndpoint());
            install("filter", List.of("-p", "tcp", "--dport", Integer.toString(client)), "DROP");
            install("filter", List.of("-p", "tcp", "--sport", Integer.toString(client)), "DROP");
            LOG.info("Partitions: cut the clients of {}", member.name());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every rule this instance installed. Idempotent.
     *
     * @throws io.etcdkit.testing.EtcdTestingException if a rule cannot be removed (the message names it)
     */
    public void heal() {
        lock.lock();
        try {
            int removed = 0;
            for (String table : Iptables.TABLES) {
                for (List<String> rule : Iptables.list(table)) {
                    if (tag.equals(Iptables.comment(rule))) {
                        Iptables.delete(table, rule);
                        removed++;
                    }
                }
            }
            if (removed > 0) {
                LOG.info("Partitions: healed ({} rule(s) removed, tag {})", removed, tag);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Same as {@link #heal()}; the instance may still be used afterwards. */
    @Override
    public void close() {
        try {
            heal();
        } finally {
            OPEN.remove(this);
        }
    }

    /**
     * The comment tag on every rule of this instance, {@code etcdkit-nemesis:<jvm pid>:<cluster id>}.
     *
     * @return the tag
     */
    public String tag() {
        return tag;
    }

    /**
     * Removes the rules of every {@code etcdkit-nemesis} tag whose JVM pid is no longer alive, and the empty cgroups
     * of dead JVMs; rules of live processes (this JVM or others) are kept. Does nothing when iptables is unavailable.
     *
     * @return how many rules were removed
     */
    public static int removeStale() {
        if (whyNoIptables().isPresent()) {
            return 0;
        }
        int removed = 0;
        for (String table : Iptables.TABLES) {
            for (List<String> rule : Iptables.list(table)) {
                String comment = Iptables.comment(rule);
                if (comment.startsWith(TAG_PREFIX) && !alive(pidOf(comment))) {
                    try {
                        Iptables.delete(table, rule);
                        removed++;
                    } catch (EtcdTestingException e) {
                        LOG.debug("Stale rule already gone: {}", e.getMessage()); // another JVM removed it first
                    }
                }
            }
        }
        ControlGroups.removeStale();
        if (removed > 0) {
            LOG.info("Partitions: removed {} stale rule(s) of JVMs that are gone", removed);
        }
        return removed;
    }

    // ---- internals ----

    /** Marks connections opened from one side to the other side's peer ports, and drops marked connections. */
    private void cut(List<EtcdMember> a, List<EtcdMember> b) {
        String mark = String.format("0x%08x/0x%08x", ((MARKS.getAndIncrement() % 4095) + 1) << 16, MARK_MASK);
        markOpenedTowards(a, b, mark);
        markOpenedTowards(b, a, mark);
        String allPeers = cluster.members().stream().map(m -> Integer.toString(port(m.peerEndpoint())))
                .collect(Collectors.joining(","));
        install("filter", List.of("-p", "tcp", "-m", "connmark", "--mark", mark, "-m", "multiport", "--ports",
                allPeers), "DROP");
    }

    private void markOpenedTowards(List<EtcdMember> from, List<EtcdMember> to, String mark) {
        String ports = to.stream().map(m -> Integer.toString(port(m.peerEndpoint()))).collect(Collectors.joining(","));
        for (EtcdMember m : from) {
            String group = m.controlGroup().orElseThrow();
            List<String> match = List.of("-p", "tcp", "-m", "cgroup", "--path", group, "-m", "multiport", "--dports",
                    ports);
            List<String> target = new ArrayList<>(List.of("CONNMARK", "--set-mark", mark));
            install("mangle", match, target);
        }
    }

    private void install(String table, List<String> match, String target) {
        install(table, match, List.of(target));
    }

    private void install(String table, List<String> match, List<String> target) {
        List<String> args = new ArrayList<>(List.of("-t", table, "-I", Iptables.CHAIN, "1", "-o", "lo"));
        args.addAll(match);
        args.addAll(List.of("-m", "comment", "--comment", tag, "-j"));
        args.addAll(target);
        try {
            Iptables.require(args);
        } catch (EtcdTestingException e) {
            try {
                heal();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void requireOwn(EtcdMember member) {
        Objects.requireNonNull(member, "member");
        if (!cluster.members().contains(member)) {
            throw new IllegalArgumentException(member + " is not a member of this cluster " + cluster);
        }
    }

    private static Optional<String> whyNoIptables() {
        try {
            Iptables.Result result = Iptables.run(List.of("-S", Iptables.CHAIN));
            if (!result.ok()) {
                return Optional.of("`iptables -w -S OUTPUT` failed with exit code " + result.exitCode() + " ("
                        + result.output().trim() + "); partitions need root (or CAP_NET_ADMIN)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("iptables is not installed (" + e.getMessage() + "); as root, "
                    + "scripts/ensure-tools.sh installs the Debian package iptables");
        }
    }

    private static void healAllOnExit() {
        for (Partitions p : OPEN) {
            try {
                p.heal();
            } catch (RuntimeException e) {
                // the JVM is exiting; the next start's removeStale() takes what is left
            }
        }
    }

    static long pidOf(String tag) {
        String rest = tag.substring(TAG_PREFIX.length());
        int colon = rest.indexOf(':');
        try {
            return Long.parseLong(colon < 0 ? rest : rest.substring(0, colon));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static int port(String url) {
        return URI.create(url).getPort();
    }

    private static String names(List<EtcdMember> members) {
        return members.stream().map(EtcdMember::name).collect(Collectors.joining(","));
    }
}
