package io.etcdkit.cluster;

import io.etcdkit.internal.Futures;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster membership: list, add, update, promote and remove members.
 *
 * <p>Every operation has a blocking form and a {@code ...Async} form whose future completes on the client's
 * callback executor. Blocking forms throw the typed {@link io.etcdkit.EtcdException} subclasses; async forms
 * complete exceptionally with them. Every call has the view's deadline. The membership list is a read and is
 * retried on transient failures; changes are retried only when they surely were not applied, otherwise they fail
 * with {@link io.etcdkit.OutcomeUnknownException} (list the members to learn the outcome). A change etcd refuses
 * fails with {@link MembershipException} naming the reason. With authentication on, changes need the
 * {@code root} role.
 *
 * <p>Member ids are etcd's unsigned 64-bit ids held in a {@code long}; {@link Member#idHex()} prints them the way
 * etcd does. Thread-safe.
 */
public interface Cluster {

    /**
     * Every member of the cluster, as the answering member knows it.
     *
     * @return every member of the cluster, as the answering member knows it
     */
    CompletableFuture<List<Member>> membersAsync();

    /**
     * Every member of the cluster.
     *
     * @return every member of the cluster
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Member> members() {
        return Futures.await(membersAsync());
    }

    /**
     * Adds a voting member that will use {@code peerUrls}. The member is not started by this: start etcd on
     * those URLs with {@code --initial-cluster-state=existing} and {@link MemberAdded#initialCluster(String)}.
     * Until it starts, it counts towards the quorum; etcd refuses the change
     * ({@link MembershipException.Reason#NOT_ENOUGH_STARTED_MEMBERS}) when that would leave too few started
     * members. Prefer {@link #addLearner(List)} then {@link #promoteMember(long)}.
     *
     * <p>etcd also refuses any member change with {@link MembershipException.Reason#UNHEALTHY_CLUSTER} unless
     * every voting member has been connected for the last 5 seconds, e.g. just after the cluster (re)started;
     * that is transient, retry.
     *
     * @param peerUrls at least one URL such as {@code http://10.0.0.4:2380}
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<MemberAdded> addMemberAsync(List<String> peerUrls);

    /**
     * Blocking form of {@link #addMemberAsync(List)}.
     *
     * @param peerUrls the member's peer URLs
     * @return what {@link #addMemberAsync(List)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default MemberAdded addMember(List<String> peerUrls) {
        return Futures.await(addMemberAsync(peerUrls));
    }

    /**
     * Adds a learner: a non-voting member that receives the log but does not count towards the quorum, so
     * adding it cannot endanger the cluster. Promote it with {@link #promoteMember(long)} once it has caught up.
     * etcd 3.4 allows one learner at a time.
     *
     * @param peerUrls the member's peer URLs
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<MemberAdded> addLearnerAsync(List<String> peerUrls);

    /**
     * Blocking form of {@link #addLearnerAsync(List)}.
     *
     * @param peerUrls the member's peer URLs
     * @return what {@link #addLearnerAsync(List)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default MemberAdded addLearner(List<String> peerUrls) {
        return Futures.await(addLearnerAsync(peerUrls));
    }

    /**
     * Removes member {@code id}; returns the members after the change. An unknown id fails with
     * {@link MembershipException.Reason#MEMBER_NOT_FOUND}; a removal that would lose quorum with
     * {@link MembershipException.Reason#UNHEALTHY_CLUSTER}.
     *
     * @param id the member id
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<List<Member>> removeMemberAsync(long id);

    /**
     * Blocking form of {@link #removeMemberAsync(long)}.
     *
     * @param id the member id
     * @return what {@link #removeMemberAsync(long)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Member> removeMember(long id) {
        return Futures.await(removeMemberAsync(id));
    }

    /**
     * Replaces the peer URLs of member {@code id}; returns the members after the change. Harmless to repeat.
     *
     * @param id the member id
     * @param peerUrls the member's peer URLs
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<List<Member>> updateMemberAsync(long id, List<String> peerUrls);

    /**
     * Blocking form of {@link #updateMemberAsync(long, List)}.
     *
     * @param id the member id
     * @param peerUrls the member's peer URLs
     * @return what {@link #updateMemberAsync(long, List)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Member> updateMember(long id, List<String> peerUrls) {
        return Futures.await(updateMemberAsync(id, peerUrls));
    }

    /**
     * Promotes learner {@code id} to a voting member (etcd 3.4 or later); returns the members after the change.
     * A learner that has not caught up fails with {@link MembershipException.Reason#LEARNER_NOT_READY} (retry
     * later); a voting member with {@link MembershipException.Reason#NOT_A_LEARNER}.
     *
     * @param id the member id
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<List<Member>> promoteMemberAsync(long id);

    /**
     * Blocking form of {@link #promoteMemberAsync(long)}.
     *
     * @param id the member id
     * @return what {@link #promoteMemberAsync(long)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Member> promoteMember(long id) {
        return Futures.await(promoteMemberAsync(id));
    }
}
