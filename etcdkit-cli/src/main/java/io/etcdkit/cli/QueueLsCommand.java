package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.workqueue.ItemView;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit queue ls NAME [--limit N]}: the items in a queue with their state. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the items of a work queue.",
            "A table of id, state (pending, delayed, claimed), failed attempts, last error and payload, oldest "
                + "first. An empty queue is not an error."})
final class QueueLsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The queue name.")
    String queue;

    @Option(names = "--limit", paramLabel = "N", description = "At most N items (default 100; 0 for all).")
    int limit = 100;

    record Item(String id, String state, int attempts, String lastError, String payload, String visibleAt) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        long now = System.currentTimeMillis();
        List<Item> items = WorkQueue.of(client, queue).items(limit).stream().map(v -> new Item(v.id(), state(v, now),
                v.attempts(), v.lastError(), v.payload().toStringUtf8(),
                v.visibleAtMillis() > now ? Instant.ofEpochMilli(v.visibleAtMillis()).toString() : null)).toList();
        if (out.json()) {
            out.document(items);
        } else {
            Table table = new Table("ID", "STATE", "ATTEMPTS", "LAST ERROR", "PAYLOAD");
            for (Item i : items) {
                table.row(i.id(), i.state(), i.attempts(), Output.shorten(Output.escape(i.lastError()), 40),
                        Output.shorten(Output.escape(i.payload()), 60));
            }
            out.table(table);
        }
        return ExitCode.OK;
    }

    private static String state(ItemView v, long now) {
        return v.claimed() ? "claimed" : v.visibleAtMillis() > now ? "delayed" : "pending";
    }
}
