package io.etcdkit.cluster;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The result of adding a member: the new member (not started yet, so without name and client URLs) and the
 * whole membership after the change. Immutable.
 *
 * @param member the member just added
 * @param members every member after the change, the new one included
 */
public record MemberAdded(Member member, List<Member> members) {
    /**
     * Copies the list.
     *
     * @param member the member
     * @param members the members
     */
    public MemberAdded {
        Objects.requireNonNull(member, "member");
        members = List.copyOf(members);
    }

    /**
     * The {@code --initial-cluster} value the new member must be started with (together with
     * {@code --initial-cluster-state=existing}), as {@code etcdctl member add} prints it: {@code name=peerUrl}
     * for every peer URL of every member, the new member named {@code newMemberName}.
     *
     * @param newMemberName the new member name
     * @return the {@code --initial-cluster} value the new member must be started with (together with {@code --initial-cluster-state=existing}), as {@code etcdctl member add} prints it: {@code name=peerUrl} for every peer URL of every member, the new member named {@code newMemberName}
     */
    public String initialCluster(String newMemberName) {
        Objects.requireNonNull(newMemberName, "newMemberName");
        StringJoiner j = new StringJoiner(",");
        for (Member m : members) {
            String name = m.id() == member.id() ? newMemberName : m.name();
            for (String url : m.peerUrls()) {
                j.add(name + "=" + url);
            }
        }
        return j.toString();
    }
}
