package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.workqueue.QueueStats;
import io.etcdkit.recipes.workqueue.WorkQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code etcdkit queue stats NAME}: counts of a queue's items, read in one revision. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Count the items of a work queue.",
            "Items, pending (including delayed), claimed, dead letters, and orphaned (claim expired, not yet "
                + "returned: normally 0), all read in one revision."})
final class QueueStatsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The queue name.")
    String queue;

    record Stats(String queue, long items, long pending, long claimed, long dead, long orphaned, long revision) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        QueueStats s = WorkQueue.of(client, queue).stats();
        Stats stats = new Stats(queue, s.items(), s.pending(), s.claimed(), s.dead(), s.orphaned(), s.revision());
        if (out.json()) {
            out.document(stats);
        } else {
            Table table = new Table("QUEUE", "ITEMS", "PENDING", "CLAIMED", "DEAD", "ORPHANED");
            table.row(queue, s.items(), s.pending(), s.claimed(), s.dead(), s.orphaned());
            out.table(table);
        }
        return ExitCode.OK;
    }
}
