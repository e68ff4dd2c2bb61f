package io.etcdkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code etcdkit snapshot save FILE}: backups. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Save a snapshot of the etcd backend.",
        subcommands = {SnapshotSaveCommand.class})
final class SnapshotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: save");
    }
}
