package io.etcdkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code etcdkit bulk load FILE}: many keys at once. */
@Command(name = "bulk", mixinStandardHelpOptions = true, description = "Load many keys at once.",
        subcommands = {BulkLoadCommand.class})
final class BulkCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: load");
    }
}
