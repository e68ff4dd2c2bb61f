package io.etcdkit.testing.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.EtcdTestingException;

/**
 * Injects one planned fault into a cluster and knows how to heal it. Used by the nemesis thread only.
 */
final class FaultInjector {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fault in effect: whom it hit, what was done, and how to undo it ({@code null} when nothing is held). */
    record ActiveFault(String target, String detail, Runnable healer) {
        boolean isHeld() {
            return healer != null;
        }
    }

    private final EtcdCluster cluster;
    private final Optional<Partitions> partitions;
    private final Optional<Etcdctl> etcdctl;

    FaultInjector(EtcdCluster cluster, Optional<Partitions> partitions, Optional<Etcdctl> etcdctl) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.etcdctl = etcdctl;
    }

    ActiveFault begin(ScheduleStep step) {
        EtcdMember member = cluster.member(step.memberIndex());
        switch (step.kind()) {
            case KILL: {
                long pid = member.pid();
                member.kill();
                return new ActiveFault(member.name(), "kill -9 pid " + pid, member::start);
            }
            case PAUSE:
                member.pause();
                return new ActiveFault(member.name(), "SIGSTOP pid " + member.pid(), member::resume);
            case ISOLATE_MEMBER:
                partitions().isolate(member);
                return new ActiveFault(member.name(), "peer links of " + member.name() + " cut", partitions()::heal);
            case ISOLATE_LEADER: {
                EtcdMember leader = cluster.leader();
                partitions().isolate(leader);
                return new ActiveFault(leader.name(), "peer links of the leader " + leader.name() + " cut",
                        partitions()::heal);
            }
            case SPLIT:
                return split(step);
            case CUT_CLIENTS:
                partitions().cutClients(member);
                return new ActiveFault(member.name(), "client port of " + member.name() + " cut", partitions()::heal);
            case COMPACT:
                return new ActiveFault("cluster", compact(step.pick() % 10), null);
            case DEFRAG:
                etcdctl().run(member.clientEndpoint(), List.of("defrag"));
                return new ActiveFault(member.name(), "defragmented " + member.name(), null);
            case REVOKE_LEASE:
                return revokeLease(step.pick());
            case REPLACE_MEMBER:
                return replace(step.pick());
            default:
                throw new IllegalStateException("Unknown fault kind " + step.kind());
        }
    }

    private ActiveFault split(ScheduleStep step) {
        List<EtcdMember> all = new ArrayList<>(cluster.members());
        Collections.shuffle(all, new Random(step.pick()));
        int maxMinority = Math.max(1, (all.size() - 1) / 2);
        int size = 1 + step.pick() % maxMinority;
        List<EtcdMember> minority = byIndex(all.subList(0, size));
        List<EtcdMember> majority = byIndex(all.subList(size, all.size()));
        partitions().split(minority, majority);
        String target = names(minority) + "|" + names(majority);
        return new ActiveFault(target, "split " + target, partitions()::heal);
    }

    private String compact(int offset) {
        String status = etcdctl().run(cluster.clientEndpointsString(), List.of("endpoint", "status", "-w", "json"));
        long revision = 0;
        try {
            for (JsonNode endpoint : JSON.readTree(status)) {
                revision = Math.max(revision, endpoint.path("Status").path("header").path("revision").asLong());
            }
        } catch (java.io.IOException e) {
            throw new EtcdTestingException("Cannot read the revision from `etcdctl endpoint status`: " + status, e);
        }
        long target = Math.max(1, revision - offset);
        try {
            etcdctl().run(cluster.clientEndpointsString(), List.of("compact", Long.toString(target), "--physical"));
            return "compacted at revision " + target + " (physical)";
        } catch (EtcdTestingException e) {
            if (e.getMessage().contains("compacted")) {
                return "revision " + target + " was already compacted";
            }
            throw e;
        }
    }

    private ActiveFault revokeLease(int pick) {
        String listing = etcdctl().run(cluster.clientEndpointsString(), List.of("lease", "list"));
        List<String> leases = listing.lines().map(String::trim).filter(l -> l.matches("[0-9a-f]+"))
                .sorted().collect(Collectors.toList());
        if (leases.isEmpty()) {
            return new ActiveFault("none", "no lease was granted", null);
        }
        String lease = leases.get(pick % leases.size());
        try {
            etcdctl().run(cluster.clientEndpointsString(), List.of("lease", "revoke", lease));
            return new ActiveFault(lease, "revoked lease " + lease + " (one of " + leases.size() + ")", null);
        } catch (EtcdTestingException e) {
            if (e.getMessage().contains("not found")) {
                return new ActiveFault(lease, "lease " + lease + " had expired before the revoke", null);
            }
            throw e;
        }
    }

    private ActiveFault replace(int pick) {
        EtcdMember leader = cluster.leader();
        List<EtcdMember> followers = cluster.members().stream().filter(m -> m != leader).collect(Collectors.toList());
        EtcdMember target = followers.get(pick % followers.size());
        String oldId = target.memberId();
        cluster.replaceMember(cluster.members().indexOf(target));
        return new ActiveFault(target.name(), "replaced " + target.name() + ": id " + oldId + " -> "
                + target.memberId() + ", data dir wiped", null);
    }

    private Partitions partitions() {
        return partitions.orElseThrow(() -> new IllegalStateException("partitions are unavailable"));
    }

    private Etcdctl etcdctl() {
        return etcdctl.orElseThrow(() -> new IllegalStateException("etcdctl is not installed"));
    }

    private List<EtcdMember> byIndex(List<EtcdMember> members) {
        List<EtcdMember> all = cluster.members();
        List<EtcdMember> sorted = new ArrayList<>(members);
        sorted.sort(java.util.Comparator.comparingInt(all::indexOf));
        return sorted;
    }

    private static String names(List<EtcdMember> members) {
        return members.stream().map(EtcdMember::name).collect(Collectors.joining(","));
    }
}
