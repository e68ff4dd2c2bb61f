package io.etcdkit.cli;

import picocli.CommandLine.Command;

/** {@code etcdkit snapshot save FILE}: backups. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Save a snapshot of the etcd backend.",
        subcommands = {SnapshotSaveCommand.class})
final class SnapshotCommand extends CommandGroup {
}
