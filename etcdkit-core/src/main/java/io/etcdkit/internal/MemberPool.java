package io.etcdkit.internal;

import io.etcdkit.observe.EtcdListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's members and the round-robin choice among them: each call goes to the next member that is not
 * out of rotation after a failure (until a probe answers, see {@link MemberProber}); when all are out, to the one
 * whose back-off ends first.
 *
 * <p>The members are fixed unless endpoint auto-sync is on: then {@link #replaceWith} swaps in the cluster's
 * current members (copy on write; a call already holding a removed member finishes on it).
 */
final class MemberPool implements AutoCloseable {
    private volatile List<Member> members;
    private final ChannelFactory channels;
    private final EtcdListener listener;
    private final AtomicInteger next = new AtomicInteger();
    private final MemberProber prober;

    /**
     * The members of {@code endpoints}, each on its own channel.
     *
     * @param endpoints the configured members
     * @param channels opens a member's channel
     * @param listener hears when a member starts being avoided and when it recovers
     * @param prober brings failed members back into rotation (used only when there are or may be several members)
     * @param mayGrow whether members may be added later (endpoint auto-sync)
     */
    MemberPool(List<Endpoint> endpoints, ChannelFactory channels, EtcdListener listener, MemberProber prober,
            boolean mayGrow) {
        this.prober = endpoints.size() > 1 || mayGrow ? prober : null;
        this.channels = channels;
        this.listener = listener;
        List<Member> list = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            list.add(new Member(e, channels.open(e), listener, this.prober));
        }
        this.members = List.copyOf(list);
    }

    int size() {
        return members.size();
    }

    List<Member> members() {
        return members;
    }

    /**
     * Makes the pool's members those of {@code endpoints} (never empty): members already in the pool are kept
     * as they are, new ones get a channel.
     *
     * @return the members no longer in the pool; their channels are still open
     */
    synchronized List<Member> replaceWith(List<Endpoint> endpoints) {
        List<Member> current = members;
        List<Member> next = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            Member m = find(e);
            next.add(m != null ? m : new Member(e, channels.open(e), listener, prober));
        }
        List<Member> removed = new ArrayList<>();
        for (Member m : current) {
            if (!next.contains(m)) {
                removed.add(m);
            }
        }
        members = List.copyOf(next);
        return removed;
    }

    /** The member the next call should go to, never null. */
    Member pick() {
        List<Member> members = this.members;
        int n = members.size();
        if (n == 1) {
            Member m = members.get(0);
            m.prepareForUse();
            return m;
        }
        long now = System.nanoTime();
        int start = Math.floorMod(next.getAndIncrement(), n);
        Member soonest = null;
        for (int i = 0; i < n; i++) {
            Member m = members.get((start + i) % n);
            if (!m.isAvoided(now)) {
                m.prepareForUse();
                return m;
            }
            if (soonest == null || m.avoidUntilNanos() - soonest.avoidUntilNanos() < 0) {
                soonest = m;
            }
        }
        soonest.prepareForUse();
        return soonest;
    }

    /** A member other than {@code previous} when one is not avoided, else {@link #pick()}. */
    Member pickOtherThan(Member previous) {
        List<Member> members = this.members;
        int n = members.size();
        if (n > 1) {
            long now = System.nanoTime();
            int start = Math.floorMod(next.getAndIncrement(), n);
            for (int i = 0; i < n; i++) {
                Member m = members.get((start + i) % n);
                if (m != previous && !m.isAvoided(now)) {
                    m.prepareForUse();
                    return m;
                }
            }
        }
        return pick();
    }

    /** The member serving {@code endpoint}, or null when the client was not configured with it. */
    Member find(Endpoint endpoint) {
        for (Member m : members) {
            if (m.endpoint.equals(endpoint)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.close();
        }
        for (Member m : members) {
            m.channel.shutdownNow();
        }
        for (Member m : members) {
            try {
                m.channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
