package io.etcdkit.internal;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcdkit.InvalidConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint auto-sync (the Go client's {@code AutoSyncInterval}): every interval, reads the member list and makes
 * the client's members those of the cluster. New members join the pool (and so the leader tracker's probe rounds
 * and the prober); removed members leave it, are forgotten by the leader tracker, and their channels shut down
 * once the calls on them ended. Members without a client URL (not started yet) are skipped, and an answer with no
 * usable member, or a failed call, changes nothing. The scheme of the configured endpoints is kept: with TLS
 * endpoints every member is reached over TLS.
 */
final class EndpointSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSync.class);

    private final Transport transport;
    private final ScheduledFuture<?> task;
    private volatile boolean closed;

    private EndpointSync(Transport transport, Duration interval) {
        this.transport = transport;
        long every = interval.toNanos();
        ScheduledFuture<?> t;
        try {
            t = transport.scheduler().scheduleWithFixedDelay(this::syncSoon, 0, every, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            t = null;
        }
        this.task = t;
    }

    /** Starts syncing every {@code interval}, the first time at once. */
    static EndpointSync start(Transport transport, Duration interval) {
        return new EndpointSync(transport, interval);
    }

    private void syncSoon() {
        if (closed) {
            return;
        }
        try {
            sync();
        } catch (RuntimeException e) {
            // a thrown exception would end the periodic task
            LOG.warn("endpoint auto-sync failed; endpoints unchanged", e);
        }
    }

    private void sync() {
        ClientConfig config = transport.config();
        transport.call(ClusterGrpc.getMemberListMethod(), MemberListRequest.getDefaultInstance(),
                CallKind.LEADER_READ, config.deadline(), () -> "list cluster members (endpoint auto-sync)")
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.debug("endpoint auto-sync: member list failed; endpoints unchanged", error);
                    } else if (!closed) {
                        try {
                            apply(response);
                        } catch (RuntimeException e) {
                            LOG.warn("endpoint auto-sync: could not apply the member list; endpoints unchanged", e);
                        }
                    }
                });
    }

    private void apply(MemberListResponse response) {
        MemberPool pool = transport.pool();
        boolean tls = transport.config().usesTls();
        Set<Endpoint> wanted = new LinkedHashSet<>();
        for (io.etcd.jetcd.api.Member m : response.getMembersList()) {
            Endpoint chosen = null;
            for (String url : m.getClientURLsList()) {
                Endpoint e;
                try {
                    Endpoint parsed = Endpoint.parse(url);
                    e = new Endpoint(parsed.host(), parsed.port(), tls);
                } catch (InvalidConfigurationException bad) {
                    LOG.debug("endpoint auto-sync: member {} advertises an unusable client URL {}",
                            Long.toHexString(m.getID()), url);
                    continue;
                }
                if (chosen == null || pool.find(e) != null && pool.find(chosen) == null) {
                    chosen = e; // the first URL, or one the client already uses
                }
            }
            if (chosen != null) {
                wanted.add(chosen);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        List<Member> removed;
        synchronized (this) {
            List<Endpoint> before = endpointsOf(pool.members());
            if (closed || before.equals(new ArrayList<>(wanted))) {
                return;
            }
            removed = pool.replaceWith(new ArrayList<>(wanted));
            LOG.info("endpoint auto-sync: endpoints {} (were {})", endpointsOf(pool.members()), before);
        }
        transport.leaders().membersChanged(removed);
        for (Member m : removed) {
            m.retire();
        }
    }

    private static List<Endpoint> endpointsOf(List<Member> members) {
        List<Endpoint> list = new ArrayList<>(members.size());
        for (Member m : members) {
            list.add(m.endpoint);
        }
        return list;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (task != null) {
            task.cancel(false);
        }
    }
}
