package io.etcdkit.cli;

import picocli.CommandLine.Command;

/** {@code etcdkit bulk load FILE}: many keys at once. */
@Command(name = "bulk", mixinStandardHelpOptions = true, description = "Load many keys at once.",
        subcommands = {BulkLoadCommand.class})
final class BulkCommand extends CommandGroup {
}
