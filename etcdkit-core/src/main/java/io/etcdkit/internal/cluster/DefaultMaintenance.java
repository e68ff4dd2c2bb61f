package io.etcdkit.internal.cluster;

import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.HashKVRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.StatusRequest;
import io.etcdkit.CompactedException;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.NoLeaderException;
import io.etcdkit.cluster.Alarm;
import io.etcdkit.cluster.AlarmType;
import io.etcdkit.cluster.KvHash;
import io.etcdkit.cluster.Maintenance;
import io.etcdkit.cluster.Member;
import io.etcdkit.cluster.MemberStatus;
import io.etcdkit.cluster.SnapshotInfo;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ClientContext;
import io.etcdkit.internal.Endpoint;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/** The {@link Maintenance} of a client view. */
public final class DefaultMaintenance implements Maintenance {
    /** The shortest deadline of defragment and snapshot, which may take minutes on large databases. */
    static final Duration LONG_OPERATION = Duration.ofMinutes(5);
    private static final int MOVE_LEADER_ATTEMPTS = 3;

    private final ClientContext ctx;
    private final Transport transport;

    /** The service of the view {@code ctx}. */
    public DefaultMaintenance(ClientContext ctx) {
        this.ctx = ctx;
        this.transport = ctx.transport();
    }

    // ---- status and leader ------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<MemberStatus>> statusAsync() {
        List<CompletableFuture<MemberStatus>> all = new ArrayList<>();
        for (Endpoint e : transport.endpoints()) {
            all.add(status(e));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).handle((v, ignored) -> {
            List<MemberStatus> out = new ArrayList<>(all.size());
            EtcdException first = null;
            for (CompletableFuture<MemberStatus> f : all) {
                if (f.isCompletedExceptionally()) {
                    EtcdException e = asEtcd(f);
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                } else {
                    out.add(f.join());
                }
            }
            if (first != null) {
                throw first;
            }
            return List.copyOf(out);
        });
    }

    @Override
    public CompletableFuture<MemberStatus> statusAsync(String endpoint) {
        Endpoint e;
        try {
            e = resolve(endpoint);
        } catch (InvalidArgumentException ex) {
            return Futures.failed(ex);
        }
        return status(e);
    }

    private CompletableFuture<MemberStatus> status(Endpoint e) {
        // LOCAL_READ: no require-leader header, so a member without a leader still reports its status.
        return transport.callOn(e, MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(),
                CallKind.LOCAL_READ, ctx.deadline(), () -> "status of " + e)
                .thenApply(r -> ClusterProtos.status(e.toString(), r));
    }

    @Override
    public CompletableFuture<Member> leaderAsync() {
        return leaderStatus().thenCompose(leader -> transport.call(ClusterGrpc.getMemberListMethod(),
                MemberListRequest.getDefaultInstance(), CallKind.LEADER_READ, ctx.deadline(),
                () -> "list cluster members")
                .thenApply(r -> {
                    for (io.etcd.jetcd.api.Member m : r.getMembersList()) {
                        if (m.getID() == leader.leaderId()) {
                            return ClusterProtos.member(m);
                        }
                    }
                    throw new NoLeaderException("member " + Long.toHexString(leader.leaderId()) + ", reported as "
                            + "leader by " + leader.endpoint() + ", is not in the member list (it was removed "
                            + "meanwhile); retry");
                }));
    }

    /**
     * The status of the leader as the configured endpoints report it: as soon as a member says it leads, its own
     * status; otherwise, once all have answered or failed, the answer that knows a leader with the highest raft
     * term. {@link NoLeaderException} when no answering member knows a leader; the first failure when none
     * answers.
     */
    private CompletableFuture<MemberStatus> leaderStatus() {
        CompletableFuture<MemberStatus> result = new CompletableFuture<>();
        List<CompletableFuture<MemberStatus>> all = new ArrayList<>();
        for (Endpoint e : transport.endpoints()) {
            CompletableFuture<MemberStatus> f = status(e);
            f.thenAccept(s -> {
                if (s.isLeader()) {
                    result.complete(s);
                }
            });
            all.add(f);
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((v, ignored) -> {
            if (result.isDone()) {
                return;
            }
            MemberStatus best = null;
            int answered = 0;
            EtcdException first = null;
            for (CompletableFuture<MemberStatus> f : all) {
                if (f.isCompletedExceptionally()) {
                    EtcdException e = asEtcd(f);
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                    continue;
                }
                answered++;
                MemberStatus s = f.join();
                if (s.hasLeader() && (best == null || s.raftTerm() > best.raftTerm())) {
                    best = s;
                }
            }
            if (best != null) {
                result.complete(best);
            } else if (answered == 0) {
                result.completeExceptionally(first);
            } else {
                NoLeaderException none = new NoLeaderException("none of the " + answered + " member(s) that "
                        + "answered knows a leader (an election is under way or the cluster lost its quorum); "
                        + "retry later or check the cluster's health");
                if (first != null) {
                    none.addSuppressed(first);
                }
                result.completeExceptionally(none);
            }
        });
        return result;
    }

    // ---- alarms -----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<Alarm>> alarmsAsync() {
        AlarmRequest request = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET)
                .setMemberID(0).setAlarm(io.etcd.jetcd.api.AlarmType.NONE).build();
        return transport.call(MaintenanceGrpc.getAlarmMethod(), request, CallKind.READ, ctx.deadline(),
                () -> "list alarms").thenApply(r -> {
                    List<Alarm> out = new ArrayList<>(r.getAlarmsCount());
                    r.getAlarmsList().forEach(a -> out.add(ClusterProtos.alarm(a)));
                    return List.copyOf(out);
                });
    }

    @Override
    public CompletableFuture<Boolean> disarmAsync(Alarm alarm) {
        Objects.requireNonNull(alarm, "alarm");
        if (alarm.type() == AlarmType.UNKNOWN) {
            return Futures.failed(new InvalidArgumentException("cannot disarm " + alarm + ": its kind is unknown "
                    + "to this client; use etcdctl alarm disarm"));
        }
        AlarmRequest request = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                .setMemberID(alarm.memberId()).setAlarmValue(ClusterProtos.wireAlarmType(alarm.type())).build();
        return transport.call(MaintenanceGrpc.getAlarmMethod(), request, CallKind.IDEMPOTENT_WRITE, ctx.deadline(),
                () -> "disarm " + alarm).thenApply(r -> r.getAlarmsCount() > 0);
    }

    // ---- compaction, defragmentation, hashes ------------------------------------------------------------

    @Override
    public CompletableFuture<Void> compactAsync(long revision, boolean physical) {
        if (revision <= 0) {
            return Futures.failed(new InvalidArgumentException("cannot compact at revision " + revision
                    + ": revisions start at 1; give the revision before which history may be discarded"));
        }
        String what = "compact history before revision " + revision + (physical ? " (physical)" : "");
        CompactionRequest request = CompactionRequest.newBuilder().setRevision(revision).setPhysical(physical)
                .build();
        return Failures.remap(transport.call(KVGrpc.getCompactMethod(), request, CallKind.WRITE, ctx.deadline(),
                () -> what), e -> {
                    if (e instanceof CompactedException) {
                        return compactedAlready(what, revision, e);
                    }
                    if (Failures.says(e, "future revision")) {
                        return new InvalidArgumentException(what + " failed: revision " + revision + " has not "
                                + "been written yet, so there is nothing to compact up to it; compact at most at "
                                + "the cluster's current revision. Nothing was changed", e);
                    }
                    return null;
                }).thenApply(r -> null);
    }

    private static CompactedException compactedAlready(String what, long revision, EtcdException cause) {
        CompactedException c = new CompactedException(what + " failed: revision " + revision + " is at or "
                + "below the point the history was already compacted to, so there is nothing to do; compact at a "
                + "newer revision", 0);
        c.initCause(cause);
        return c;
    }

    @Override
    public CompletableFuture<Void> defragmentAsync(String endpoint) {
        Endpoint e;
        try {
            e = resolve(endpoint);
        } catch (InvalidArgumentException ex) {
            return Futures.failed(ex);
        }
        return transport.callOn(e, MaintenanceGrpc.getDefragmentMethod(), DefragmentRequest.getDefaultInstance(),
                CallKind.IDEMPOTENT_WRITE, longDeadline(), () -> "defragment " + e).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<KvHash> hashKvAsync(String endpoint, long revision) {
        if (revision < 0) {
            return Futures.failed(new InvalidArgumentException("hashKv needs a revision of 0 (current) or more, "
                    + "got " + revision));
        }
        Endpoint e;
        try {
            e = resolve(endpoint);
        } catch (InvalidArgumentException ex) {
            return Futures.failed(ex);
        }
        String what = "hash of the key-value history of " + e + (revision == 0 ? "" : " up to revision " + revision);
        return Failures.remap(transport.callOn(e, MaintenanceGrpc.getHashKVMethod(),
                HashKVRequest.newBuilder().setRevision(revision).build(), CallKind.READ, ctx.deadline(), () -> what),
                ex -> {
                    if (ex instanceof CompactedException) {
                        CompactedException c = new CompactedException(what + " failed: revision " + revision
                                + " has been compacted; hash at a newer revision (or 0 for the current one)", 0);
                        c.initCause(ex);
                        return c;
                    }
                    return null;
                }).thenApply(r -> ClusterProtos.hash(e.toString(), r));
    }

    // ---- snapshot ---------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<SnapshotInfo> snapshotAsync(Path file, LongConsumer bytesWritten) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytesWritten, "bytesWritten");
        return new SnapshotDownload(transport, file, bytesWritten, longDeadline()).start();
    }

    // ---- leader transfer --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> moveLeaderAsync(long targetMemberId) {
        return moveLeader(targetMemberId, 1);
    }

    private CompletableFuture<Void> moveLeader(long target, int attempt) {
        String what = "move leadership to member " + Long.toHexString(target);
        return leaderStatus().thenCompose(leader -> {
            if (leader.leaderId() == target) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (leader.isLeader()) {
                return sendMoveLeader(Endpoint.parse(leader.endpoint()), target, what, attempt);
            }
            // Only followers answered so far: the leader is not among this client's endpoints, or it is down.
            return Futures.<Void>failed(new InvalidArgumentException(what + " failed: the leader "
                    + Long.toHexString(leader.leaderId()) + " did not answer at any of this client's endpoints "
                    + transport.endpoints() + ", and the request must be sent to the leader; include the "
                    + "leader's endpoint in the client (or retry if it is restarting)"));
        });
    }

    private CompletableFuture<Void> sendMoveLeader(Endpoint leader, long target, String what, int attempt) {
        CompletableFuture<Void> sent = transport.callOn(leader, MaintenanceGrpc.getMoveLeaderMethod(),
                MoveLeaderRequest.newBuilder().setTargetID(target).build(), CallKind.IDEMPOTENT_WRITE,
                ctx.deadline(), () -> what + " (via the leader " + leader + ")").thenApply(r -> null);
        return sent.handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable c = Futures.unwrap(e);
            if (c instanceof EtcdException ee && Failures.says(ee, "etcdserver: not leader")
                    && attempt < MOVE_LEADER_ATTEMPTS) {
                return moveLeader(target, attempt + 1); // leadership changed meanwhile
            }
            if (c instanceof EtcdException ee && Failures.says(ee, "etcdserver: bad leader transferee")) {
                return Futures.<Void>failed(new InvalidArgumentException(what + " failed: member "
                        + Long.toHexString(target) + " cannot lead (it is unknown, a learner, or not started); "
                        + "pick a started voting member", ee));
            }
            return Futures.<Void>failed(c);
        }).thenCompose(f -> f);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Duration longDeadline() {
        Duration d = ctx.deadline();
        return d.compareTo(LONG_OPERATION) > 0 ? d : LONG_OPERATION;
    }

    /**
     * The configured endpoint that {@code text} names: an exact match, or, for {@code host:port} without scheme,
     * the configured endpoint with that host and port.
     */
    private Endpoint resolve(String text) {
        Endpoint parsed;
        try {
            parsed = Endpoint.parse(text);
        } catch (InvalidConfigurationException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
        List<Endpoint> configured = transport.endpoints();
        if (configured.contains(parsed)) {
            return parsed;
        }
        if (!text.contains("://")) {
            for (Endpoint e : configured) {
                if (e.host().equalsIgnoreCase(parsed.host()) && e.port() == parsed.port()) {
                    return e;
                }
            }
        }
        throw new InvalidArgumentException("endpoint " + text + " is not one of this client's endpoints "
                + configured + "; use one of those (maintenance calls for one member go to that member only)");
    }

    private static EtcdException asEtcd(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (RuntimeException e) {
            Throwable c = Futures.unwrap(e);
            return c instanceof EtcdException ee ? ee : new EtcdException(String.valueOf(c.getMessage()), c);
        }
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
