package io.etcdkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The workloads, named like etcd's own benchmark tool where it has one. {@code all} runs them in this order,
 * except {@code failover}, which starts its own cluster to kill and freeze members and runs only when named.
 * The operation workloads ({@link Kind#OPERATIONS}) issue one kind of request in a closed loop (see
 * {@link OperationsBench}); the others have a bench of their own.
 */
enum Workload {
    /** A put of a {@code --value-size} value; keys cycle over the key space. */
    PUT("put", Kind.OPERATIONS, false, "put"),
    /** A linearizable (default) get of one existing key; keys cycle over the preloaded key space. */
    RANGE_LINEARIZABLE("range-linearizable", Kind.OPERATIONS, true, "get"),
    /** A serializable get of one existing key; keys cycle over the preloaded key space. */
    RANGE_SERIALIZABLE("range-serializable", Kind.OPERATIONS, true, "get"),
    /** A transaction with one compare (the key's version is greater than -1, always true) and one put. */
    TXN_PUT("txn-put", Kind.OPERATIONS, false, "txn"),
    /** Events per second to one watcher, and put-to-event latency at a steady write rate ({@link WatchBench}). */
    WATCH("watch", Kind.OWN, false, "event"),
    /** Heap and put-to-event latency with many idle watchers on one client ({@link WatchersBench}). */
    WATCHERS("watchers", Kind.OWN, false, "watcher"),
    /** One keep-alive of one lease (a LeaseKeepAlive request and its answer). */
    LEASE_KEEPALIVE("lease-keepalive", Kind.OPERATIONS, false, "keep-alive"),
    /** Lock and unlock, uncontended and handed off along a queue of waiters ({@link LockBench}). */
    LOCK("lock", Kind.OWN, false, "lock"),
    /** A read of one key of a preloaded prefix: etcdkit from a watch-fed CachedView, jetcd from the server. */
    CACHE_READ("cache-read", Kind.OPERATIONS, true, "get"),
    /** Loading many keys: etcdkit's bulk loader vs jetcd's per-key async puts ({@link BulkLoadBench}). */
    BULK_LOAD("bulk-load", Kind.OWN, false, "key"),
    /** Snapshot-then-watch of a large prefix ({@link SubscribeBench}). */
    SUBSCRIBE("subscribe", Kind.OWN, false, "key"),
    /** Items through a work queue, 4 producers and 8 consumers, vs a naive poll-and-delete queue ({@link WorkQueueBench}). */
    WORK_QUEUE("work-queue", Kind.OWN, false, "item"),
    /** Write gaps under leader and follower faults on an own 3-member cluster ({@link FailoverBench}); not in all. */
    FAILOVER("failover", Kind.OWN, false, "gap");

    /** How a workload is run. */
    enum Kind {
        /** One request per operation, closed loop with a bound on requests in flight ({@link OperationsBench}). */
        OPERATIONS,
        /** A bench of its own. */
        OWN
    }

    private final String id;
    private final Kind kind;
    private final boolean needsPreload;
    private final String unit;

    Workload(String id, Kind kind, boolean needsPreload, String unit) {
        this.id = id;
        this.kind = kind;
        this.needsPreload = needsPreload;
        this.unit = unit;
    }

    /** The name on the command line and in the report. */
    String id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    /** Whether the key space must hold values before the workload reads it (operation workloads). */
    boolean needsPreload() {
        return needsPreload;
    }

    /** What one operation of the workload is, for the report ("put", "get", "event", "key"). */
    String unit() {
        return unit;
    }

    /**
     * Parses {@code all}, one name, or a comma-separated list of names; {@code range} means both range
     * workloads.
     */
    static List<Workload> parseList(String text) {
        List<Workload> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            List<Workload> named = switch (name) {
                case "all" -> List.of(values()).stream().filter(w -> w != FAILOVER).toList();
                case "range" -> List.of(RANGE_LINEARIZABLE, RANGE_SERIALIZABLE);
                default -> {
                    for (Workload w : values()) {
                        if (w.id.equals(name)) {
                            yield List.of(w);
                        }
                    }
                    throw new BenchOptions.UsageException("unknown workload '" + name + "'; known: all, range, "
                            + String.join(", ", List.of(values()).stream().map(Workload::id).toList()));
                }
            };
            for (Workload w : named) {
                if (!out.contains(w)) {
                    out.add(w);
                }
            }
        }
        if (out.isEmpty()) {
            throw new BenchOptions.UsageException("no workload given");
        }
        // run in the canonical order whatever order they were named in, so reports compare across runs
        out.sort(null);
        return List.copyOf(out);
    }
}
