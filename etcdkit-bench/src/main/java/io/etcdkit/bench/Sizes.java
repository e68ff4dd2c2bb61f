package io.etcdkit.bench;

/**
 * How big the workloads with a bench of their own are (the operation workloads use {@code --ops}).
 *
 * @param rounds       measured rounds per client of watch events, lock hand-off, bulk-load and subscribe
 * @param watchEvents  events replayed to one watcher per round ({@code watch})
 * @param watchRate    puts per second for put-to-event latency ({@code watch}, {@code watchers})
 * @param watchSeconds measured seconds per client of put-to-event latency ({@code watch}); the warm-up is a
 *                     quarter of it, the latency part of {@code watchers} half of it
 * @param watchers     idle watchers on one client ({@code watchers})
 * @param jetcdWatchers watchers for jetcd, which opens one gRPC stream per watcher ({@code watchers})
 * @param lockOps      uncontended lock+unlock cycles per client ({@code lock})
 * @param lockWaiters  waiters queued behind the holder per hand-off round ({@code lock})
 * @param lockSettleMillis pause between "all waiters queued" and the first unlock of a hand-off round ({@code lock})
 * @param bulkKeys     keys loaded per round ({@code bulk-load})
 * @param subscribeKeys keys under the subscribed prefix ({@code subscribe})
 * @param workItems    items through the queue per client ({@code work-queue})
 */
record Sizes(int rounds, int watchEvents, int watchRate, int watchSeconds, int watchers, int jetcdWatchers,
        int lockOps, int lockWaiters, int lockSettleMillis, int bulkKeys, int subscribeKeys, int workItems) {

    /** The full run: sized for the targets of the issue, all workloads in well under 15 minutes on 2 cores. */
    static Sizes full() {
        return new Sizes(3, 200_000, 1_000, 20, 100_000, 100_000, 1_000, 50, 0, 100_000, 100_000, 10_000);
    }

    /** {@code --quick}: a smoke run of every workload in about a minute. */
    static Sizes quick() {
        return new Sizes(1, 2_000, 500, 2, 1_000, 1_000, 50, 10, 0, 5_000, 5_000, 1_000);
    }
}
