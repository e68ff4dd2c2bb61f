package io.etcdkit.testing.nemesis;

/**
 * The kinds of fault a {@link Nemesis} injects, one at a time, each for a bounded window.
 *
 * <p>The partition kinds ({@link #ISOLATE_MEMBER}, {@link #ISOLATE_LEADER}, {@link #SPLIT}, {@link #CUT_CLIENTS})
 * need {@link Partitions}; where {@link Partitions#probe()} says they are unavailable, the nemesis skips them.
 */
public enum FaultKind {
    /** {@code kill -9} a member; it is started again (same data) when the window ends. */
    KILL,
    /** SIGSTOP a member; SIGCONT when the window ends. It keeps its sockets but answers nothing. */
    PAUSE,
    /** A random member cannot talk to its peers (both directions); its clients still reach it. */
    ISOLATE_MEMBER,
    /** Like {@link #ISOLATE_MEMBER}, for whoever is leader when the fault starts. */
    ISOLATE_LEADER,
    /** The members split in two sides, a minority and a majority, that cannot talk to each other. */
    SPLIT,
    /** The client port of one member is unreachable; its peer traffic is unaffected. */
    CUT_CLIENTS,
    /** A physical compaction of the key space at a recent revision (instantaneous; the window is a calm). */
    COMPACT,
    /** A defragmentation of one member's backend (blocks that member while it runs). */
    DEFRAG,
    /** A random lease among those granted is revoked by an outside client (etcdctl). */
    REVOKE_LEASE,
    /**
     * A follower is removed from the cluster, its data directory wiped, and it is added again with the same name
     * and peer URL and a new member id; it catches up from the others.
     */
    REPLACE_MEMBER;

    /**
     * Whether this kind cuts links with packet-filter rules (and so needs {@link Partitions}).
     *
     * @return whether this is a partition kind
     */
    public boolean isPartition() {
        return this == ISOLATE_MEMBER || this == ISOLATE_LEADER || this == SPLIT || this == CUT_CLIENTS;
    }
}
