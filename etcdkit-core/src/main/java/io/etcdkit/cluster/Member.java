package io.etcdkit.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One member of the cluster as etcd's membership list describes it. Immutable.
 *
 * @param id the member id (etcd shows it in hex, see {@link #idHex()})
 * @param name the member's {@code --name}; empty while a member that was added has not started yet
 * @param peerUrls the URLs the member uses to talk to its peers
 * @param clientUrls the URLs clients reach it at; empty while the member has not started yet
 * @param learner whether the member is a raft learner (non-voting, see {@link Cluster#addLearner(List)})
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    /**
     * Copies the lists; {@code null} name or lists are not allowed.
     *
     * @param id the member id
     * @param name the name
     * @param peerUrls the member's peer URLs
     * @param clientUrls the client urls
     * @param learner the learner
     */
    public Member {
        Objects.requireNonNull(name, "name");
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /**
     * The id in hex, as etcd and etcdctl print it (e.g. {@code 8e9e05c52164694d}).
     *
     * @return the id in hex, as etcd and etcdctl print it (e.g
     */
    public String idHex() {
        return Long.toHexString(id);
    }

    /**
     * Whether the member has started and published its name and client URLs.
     *
     * @return whether the member has started and published its name and client URLs
     */
    public boolean isStarted() {
        return !name.isEmpty();
    }

    @Override
    public String toString() {
        return "Member[" + idHex() + (name.isEmpty() ? " (unstarted)" : " " + name) + (learner ? " learner" : "")
                + " peers " + peerUrls + " clients " + clientUrls + "]";
    }
}
