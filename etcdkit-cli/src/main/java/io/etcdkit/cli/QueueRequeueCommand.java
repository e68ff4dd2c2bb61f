package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.workqueue.WorkQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code etcdkit queue requeue NAME ID}: a dead letter back into the queue. */
@Command(name = "requeue", mixinStandardHelpOptions = true,
        description = {"Move a dead letter back into its work queue.",
            "Its attempt count starts again at 0. Exits 3 when there is no such dead letter."})
final class QueueRequeueCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The queue name.")
    String queue;

    @Parameters(index = "1", paramLabel = "ID", description = "The dead letter's id.")
    String id;

    @Override
    int run(EtcdClient client, Output out) {
        if (!WorkQueue.of(client, queue).requeue(id)) {
            throw new CliException(ExitCode.NOT_FOUND, "no dead letter " + id + " in queue " + queue
                    + "; list them with 'etcdkit queue dead-letters " + queue + "'");
        }
        if (out.json()) {
            out.document(Output.fields("queue", queue, "id", id, "requeued", true));
        } else {
            out.line("requeued " + id);
        }
        return ExitCode.OK;
    }
}
