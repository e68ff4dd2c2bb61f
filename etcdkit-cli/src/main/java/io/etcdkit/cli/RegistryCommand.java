package io.etcdkit.cli;

import picocli.CommandLine.Command;

/** {@code etcdkit registry register|ls|watch}: the service registry from the shell. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = {"Register, list and watch service instances.",
            "The layout is etcdkit's ServiceRegistry: JSON at ROOT/NAME/ID under a lease."},
        subcommands = {RegistryRegisterCommand.class, RegistryLsCommand.class, RegistryWatchCommand.class})
final class RegistryCommand extends CommandGroup {
}
