package io.etcdkit.micrometer;

/**
 * The names of every meter {@link EtcdMetrics} registers, and of its observation. The table in
 * {@code docs/metrics.md} lists them with their tags.
 */
final class MeterNames {
    static final String CALLS = "etcdkit.calls";
    static final String CALL_RETRIES = "etcdkit.call.retries";
    static final String CALL_OBSERVATION = "etcdkit.call";

    static final String MEMBER_FAILOVERS = "etcdkit.member.failovers";
    static final String MEMBER_AVOIDED = "etcdkit.member.avoided";

    static final String WATCH_STREAM_CONNECTS = "etcdkit.watch.stream.connects";
    static final String WATCH_STREAM_DISCONNECTS = "etcdkit.watch.stream.disconnects";
    static final String WATCH_WATCHERS = "etcdkit.watch.watchers";
    static final String WATCH_EVENTS = "etcdkit.watch.events";
    static final String WATCH_COMPACTIONS = "etcdkit.watch.compactions";
    static final String WATCH_RESYNCS = "etcdkit.watch.resyncs";

    static final String LEASE_TRANSITIONS = "etcdkit.lease.transitions";
    static final String LEASE_KEEPALIVE_FAILURES = "etcdkit.lease.keepalive.failures";

    static final String LOCK_WAIT = "etcdkit.lock.wait";
    static final String LOCK_HELD = "etcdkit.lock.held";
    static final String QUEUE_WAKEUPS = "etcdkit.queue.wakeups";

    static final String ELECTION_LEADER = "etcdkit.election.leader";
    static final String ELECTION_CHANGES = "etcdkit.election.changes";

    static final String CACHE_SIZE = "etcdkit.cache.size";
    static final String CACHE_CONNECTED = "etcdkit.cache.connected";

    static final String REGISTRY_INSTANCES = "etcdkit.registry.instances";

    private MeterNames() {
    }
}
