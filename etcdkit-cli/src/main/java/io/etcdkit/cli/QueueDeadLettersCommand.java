package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.workqueue.DeadLetter;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit queue dead-letters NAME [--limit N]}: items that failed too often. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"List the dead letters of a work queue.",
            "Items that failed the queue's maximum number of attempts, with their last error. Requeue one with "
                + "'etcdkit queue requeue NAME ID'."})
final class QueueDeadLettersCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The queue name.")
    String queue;

    @Option(names = "--limit", paramLabel = "N", description = "At most N dead letters (default 100; 0 for all).")
    int limit = 100;

    record Dead(String id, int attempts, String lastError, String payload) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        List<DeadLetter> dead = WorkQueue.of(client, queue).deadLetters(limit);
        if (out.json()) {
            out.document(dead.stream().map(d -> new Dead(d.id(), d.attempts(), d.lastError(),
                    d.payload().toStringUtf8())).toList());
        } else {
            Table table = new Table("ID", "ATTEMPTS", "LAST ERROR", "PAYLOAD");
            for (DeadLetter d : dead) {
                table.row(d.id(), d.attempts(), Output.shorten(Output.escape(d.lastError()), 60),
                        Output.shorten(Output.escape(d.payload().toStringUtf8()), 60));
            }
            out.table(table);
        }
        return ExitCode.OK;
    }
}
