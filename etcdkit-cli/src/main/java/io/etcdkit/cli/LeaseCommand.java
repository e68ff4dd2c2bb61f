package io.etcdkit.cli;

import picocli.CommandLine.Command;

/** {@code etcdkit lease grant|revoke|ttl}: leases, the time-to-live that keys can hang on. */
@Command(name = "lease", mixinStandardHelpOptions = true,
        description = {"Grant, revoke and inspect leases.", "Lease ids are hex, as etcd prints them."},
        subcommands = {LeaseGrantCommand.class, LeaseRevokeCommand.class, LeaseTtlCommand.class})
final class LeaseCommand extends CommandGroup {
}
