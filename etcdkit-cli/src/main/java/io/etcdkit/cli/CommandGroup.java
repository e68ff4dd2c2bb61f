package io.etcdkit.cli;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code lease}, {@code registry}, ...): alone it is a usage error. */
abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
