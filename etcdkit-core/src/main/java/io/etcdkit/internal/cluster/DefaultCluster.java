package io.etcdkit.internal.cluster;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.cluster.Cluster;
import io.etcdkit.cluster.Member;
import io.etcdkit.cluster.MemberAdded;
import io.etcdkit.cluster.MembershipException;
import io.etcdkit.cluster.MembershipException.Reason;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ClientContext;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The {@link Cluster} of a client view. */
public final class DefaultCluster implements Cluster {
    private final ClientContext ctx;
    private final Transport transport;

    /** The service of the view {@code ctx}. */
    public DefaultCluster(ClientContext ctx) {
        this.ctx = ctx;
        this.transport = ctx.transport();
    }

    @Override
    public CompletableFuture<List<Member>> membersAsync() {
        return transport.call(ClusterGrpc.getMemberListMethod(), MemberListRequest.getDefaultInstance(),
                CallKind.LEADER_READ, ctx.deadline(), () -> "list cluster members")
                .thenApply(r -> ClusterProtos.members(r.getMembersList()));
    }

    @Override
    public CompletableFuture<MemberAdded> addMemberAsync(List<String> peerUrls) {
        return add(peerUrls, false);
    }

    @Override
    public CompletableFuture<MemberAdded> addLearnerAsync(List<String> peerUrls) {
        return add(peerUrls, true);
    }

    private CompletableFuture<MemberAdded> add(List<String> peerUrls, boolean learner) {
        String what = (learner ? "add learner with peer URLs " : "add member with peer URLs ") + peerUrls;
        try {
            checkPeerUrls(peerUrls, what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        MemberAddRequest request = MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).setIsLearner(learner)
                .build();
        return Failures.remap(transport.call(ClusterGrpc.getMemberAddMethod(), request, CallKind.WRITE,
                ctx.deadline(), () -> what), e -> membership(e, what))
                .thenApply(r -> new MemberAdded(ClusterProtos.member(r.getMember()),
                        ClusterProtos.members(r.getMembersList())));
    }

    @Override
    public CompletableFuture<List<Member>> removeMemberAsync(long id) {
        String what = "remove member " + Long.toHexString(id);
        return Failures.remap(transport.call(ClusterGrpc.getMemberRemoveMethod(),
                MemberRemoveRequest.newBuilder().setID(id).build(), CallKind.WRITE, ctx.deadline(), () -> what),
                e -> membership(e, what)).thenApply(r -> ClusterProtos.members(r.getMembersList()));
    }

    @Override
    public CompletableFuture<List<Member>> updateMemberAsync(long id, List<String> peerUrls) {
        String what = "update member " + Long.toHexString(id) + " to peer URLs " + peerUrls;
        try {
            checkPeerUrls(peerUrls, what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        MemberUpdateRequest request = MemberUpdateRequest.newBuilder().setID(id).addAllPeerURLs(peerUrls).build();
        return Failures.remap(transport.call(ClusterGrpc.getMemberUpdateMethod(), request,
                CallKind.IDEMPOTENT_WRITE, ctx.deadline(), () -> what), e -> membership(e, what))
                .thenApply(r -> ClusterProtos.members(r.getMembersList()));
    }

    @Override
    public CompletableFuture<List<Member>> promoteMemberAsync(long id) {
        String what = "promote learner " + Long.toHexString(id);
        return Failures.remap(transport.call(ClusterProtos.MEMBER_PROMOTE,
                MemberRemoveRequest.newBuilder().setID(id).build(), CallKind.WRITE, ctx.deadline(), () -> what),
                e -> membership(e, what)).thenApply(r -> ClusterProtos.members(r.getMembersList()));
    }

    private static void checkPeerUrls(List<String> peerUrls, String what) {
        Objects.requireNonNull(peerUrls, "peerUrls");
        if (peerUrls.isEmpty()) {
            throw new InvalidArgumentException(what + ": at least one peer URL is needed, e.g. "
                    + "http://10.0.0.4:2380");
        }
        for (String url : peerUrls) {
            URI uri;
            try {
                uri = url == null ? null : URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new InvalidArgumentException(what + ": peer URL '" + url + "' is not of the form "
                        + "http://host:port or https://host:port");
            }
        }
    }

    /** etcd's membership errors (rpctypes) as {@link MembershipException}s; null for others. */
    static EtcdException membership(EtcdException e, String what) {
        if (Failures.says(e, "etcdserver: member not found")) {
            return new MembershipException(Reason.MEMBER_NOT_FOUND, what + " failed: no such member in the "
                    + "cluster (it may have been removed already); list the members with members()", e);
        }
        if (Failures.says(e, "etcdserver: member ID already exist")) {
            return new MembershipException(Reason.MEMBER_EXISTS, what + " failed: a member with that id already "
                    + "exists", e);
        }
        if (Failures.says(e, "etcdserver: Peer URLs already exists")) {
            return new MembershipException(Reason.PEER_URL_EXISTS, what + " failed: another member already uses "
                    + "one of these peer URLs; pick other URLs or remove that member first", e);
        }
        if (Failures.says(e, "etcdserver: given member URLs are invalid")) {
            return new MembershipException(Reason.BAD_PEER_URLS, what + " failed: etcd rejects these peer URLs as "
                    + "invalid", e);
        }
        if (Failures.says(e, "not enough started members")) {
            return new MembershipException(Reason.NOT_ENOUGH_STARTED_MEMBERS, what + " failed: afterwards fewer "
                    + "started voting members than a quorum would remain (etcd's strict reconfiguration check). "
                    + "Start the members added before, remove unstarted ones, or add a learner instead. Nothing "
                    + "was changed", e);
        }
        if (Failures.says(e, "etcdserver: unhealthy cluster")) {
            return new MembershipException(Reason.UNHEALTHY_CLUSTER, what + " failed: etcd found the cluster not "
                    + "healthy enough for the change (it requires every voting member to have been connected for "
                    + "the last 5 seconds, and a removal must not cost the quorum). Make sure all members run and "
                    + "retry in a few seconds. Nothing was changed", e);
        }
        if (Failures.says(e, "etcdserver: can only promote a learner member which is in sync with leader")) {
            return new MembershipException(Reason.LEARNER_NOT_READY, what + " failed: the learner has not "
                    + "caught up with the leader yet (is it started?); retry once it has. Nothing was changed", e);
        }
        if (Failures.says(e, "etcdserver: can only promote a learner member")) {
            return new MembershipException(Reason.NOT_A_LEARNER, what + " failed: the member is not a learner; "
                    + "only learners can be promoted", e);
        }
        if (Failures.says(e, "etcdserver: too many learner members in cluster")) {
            return new MembershipException(Reason.TOO_MANY_LEARNERS, what + " failed: the cluster already has "
                    + "the largest number of learners etcd allows; promote or remove one first", e);
        }
        return null;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
