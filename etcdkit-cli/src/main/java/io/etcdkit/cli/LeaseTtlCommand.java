package io.etcdkit.cli;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.lease.LeaseInfo;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit lease ttl ID [--keys]}: what etcd knows of a lease. */
@Command(name = "ttl", mixinStandardHelpOptions = true,
        description = {"Print what etcd knows of a lease.",
            "Prints lease ID's granted and remaining TTL (and with --keys its keys). Exits 3 when the lease does "
                + "not exist."})
final class LeaseTtlCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", converter = LeaseIdConverter.class, description = "Hex lease id.")
    long id;

    @Option(names = "--keys", description = "Also list the keys attached to the lease.")
    boolean keys;

    record Result(String id, long grantedSeconds, long remainingSeconds, List<String> keys) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        LeaseInfo info = keys ? client.leases().timeToLiveWithKeys(id) : client.leases().timeToLive(id);
        List<String> keyNames = info.keys().stream().map(Bytes::toStringUtf8).toList();
        if (out.json()) {
            out.document(new Result(LeaseIdConverter.format(id), info.granted().toSeconds(),
                    info.remaining().toSeconds(), keys ? keyNames : null));
        } else {
            out.line("lease " + LeaseIdConverter.format(id) + ": granted TTL " + info.granted().toSeconds()
                    + " s, remaining " + info.remaining().toSeconds() + " s");
            if (keys) {
                out.line(keyNames.isEmpty() ? "no keys attached" : "keys:");
                keyNames.forEach(k -> out.line("  " + Output.escape(k)));
            }
        }
        return ExitCode.OK;
    }
}
