package io.etcdkit.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What one member reports about itself (etcd's Status call). Immutable.
 *
 * <p>Fields added in etcd 3.4 ({@code dbSizeInUse}, {@code raftAppliedIndex}, {@code learner},
 * {@code errors}) are 0, false or empty when the member runs an older etcd.
 *
 * @param endpoint the client endpoint that answered, as configured (e.g. {@code https://10.0.0.1:2379})
 * @param memberId the answering member's id
 * @param version the etcd version of the member, e.g. {@code 3.4.23}
 * @param dbSize the size of the member's backend database file, in bytes
 * @param dbSizeInUse the part of {@code dbSize} in use; the rest is reclaimed by
 *     {@link Maintenance#defragment(String)}
 * @param leaderId the id of the member it believes leads, 0 when it knows no leader
 * @param raftTerm the member's raft term
 * @param raftIndex the member's raft committed index
 * @param raftAppliedIndex the member's raft applied index
 * @param learner whether the member is a raft learner
 * @param errors alarms and health problems the member reports, e.g. {@code "memberID:... alarm:NOSPACE "}
 */
public record MemberStatus(String endpoint, long memberId, String version, long dbSize, long dbSizeInUse,
        long leaderId, long raftTerm, long raftIndex, long raftAppliedIndex, boolean learner, List<String> errors) {
    /**
     * Copies the list.
     *
     * @param endpoint the member's endpoint URL
     * @param memberId the member id
     * @param version the version
     * @param dbSize the db size
     * @param dbSizeInUse the db size in use
     * @param leaderId the leader id
     * @param raftTerm the raft term
     * @param raftIndex the raft index
     * @param raftAppliedIndex the raft applied index
     * @param learner the learner
     * @param errors the errors
     */
    public MemberStatus {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(version, "version");
        errors = List.copyOf(errors);
    }

    /**
     * Whether this member is the leader.
     *
     * @return whether this member is the leader
     */
    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }

    /**
     * Whether this member knows a leader.
     *
     * @return whether this member knows a leader
     */
    public boolean hasLeader() {
        return leaderId != 0;
    }

    /**
     * The member id in hex, as etcd prints it.
     *
     * @return the member id in hex, as etcd prints it
     */
    public String memberIdHex() {
        return Long.toHexString(memberId);
    }
}
