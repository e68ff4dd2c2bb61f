package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.workqueue.Added;
import io.etcdkit.recipes.workqueue.NewItem;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit queue add NAME PAYLOAD [--delay D] [--dedup-key K]}: adds one item. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Add an item to a work queue.",
            "Prints the new item's id. With --dedup-key, adding while an item with the same key is still in the "
                + "queue adds nothing and says so (exit 0)."})
final class QueueAddCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The queue name.")
    String queue;

    @Parameters(index = "1", paramLabel = "PAYLOAD", description = "The item's payload (UTF-8 text).")
    String payload;

    @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Invisible to consumers for this long (e.g. 30s, 5m).")
    Duration delay;

    @Option(names = "--dedup-key", paramLabel = "KEY", description = "Skip the add while an item with KEY is queued.")
    String dedupKey;

    @Override
    int run(EtcdClient client, Output out) {
        NewItem item = NewItem.of(payload);
        if (delay != null) {
            item = item.delay(delay);
        }
        if (dedupKey != null) {
            item = item.dedupKey(dedupKey);
        }
        Added added = WorkQueue.of(client, queue).add(item);
        if (out.json()) {
            out.document(added);
        } else {
            out.line(added.duplicate() ? "duplicate: item " + added.id() + " with this dedup key is still queued"
                    : "added " + added.id());
        }
        return ExitCode.OK;
    }
}
