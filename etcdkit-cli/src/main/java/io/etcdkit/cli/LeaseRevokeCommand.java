package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code etcdkit lease revoke ID}: revokes a lease, deleting its keys. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a lease, deleting its keys.",
            "Revokes lease ID: etcd deletes every key attached to it at once. Exits 3 when the lease does not "
                + "exist (expired, revoked, or never granted)."})
final class LeaseRevokeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = LeaseIdConverter.class, description = "Hex lease id.")
    long id;

    record Result(String id, boolean revoked) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        client.leases().revoke(id);
        if (out.json()) {
            out.document(new Result(LeaseIdConverter.format(id), true));
        } else {
            out.line("lease " + LeaseIdConverter.format(id) + " revoked");
        }
        return ExitCode.OK;
    }
}
