package io.etcdkit.cli;

import picocli.CommandLine.Command;

/** {@code etcdkit queue add|ls|stats|dead-letters|requeue}: the work queues of etcdkit's recipes. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = {"Add to and inspect work queues (etcdkit's WorkQueue recipe).",
            "Items live under etcdkit/workqueue/NAME/; see docs/work-queue.md."},
        subcommands = {QueueAddCommand.class, QueueLsCommand.class, QueueStatsCommand.class,
            QueueDeadLettersCommand.class, QueueRequeueCommand.class})
final class QueueCommand extends CommandGroup {
}
