package io.etcdkit.testing;

/**
 * What one member reports about itself in {@code /v3/maintenance/status}. Immutable.
 *
 * @param memberId the reporting member's id (unsigned 64-bit)
 * @param leaderId the id of the leader it follows, {@code 0} if it knows none
 * @param raftTerm the member's current raft term
 */
record MemberStatus(long memberId, long leaderId, long raftTerm) {

    /** Whether the reporting member believes it is the leader. */
    boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }

    /** Whether the reporting member knows a leader. */
    boolean hasLeader() {
        return leaderId != 0;
    }

    /** Formats an id the way etcd and etcdctl print it: lower-case hex without padding. */
    static String hex(long id) {
        return Long.toHexString(id);
    }
}
