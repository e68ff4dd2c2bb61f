package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.lease.Lease;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code etcdkit lease grant TTL}: grants a lease (not kept alive). */
@Command(name = "grant", mixinStandardHelpOptions = true,
        description = {"Grant a lease.",
            "Grants a lease of TTL (seconds, or 30s, 5m, ...) and print its id. It is not kept alive: it "
                + "expires after TTL with every key attached to it (put --lease ID).",
            "etcd counts whole seconds and raises very short TTLs to its minimum (about 2 s); the TTL granted is "
                + "printed."})
final class LeaseGrantCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TTL", converter = DurationConverter.class,
            description = "The time-to-live, e.g. 60 or 60s or 5m.")
    Duration ttl;

    record Result(String id, long ttlSeconds) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        Lease lease = client.leases().grant(ttl);
        String id = LeaseIdConverter.format(lease.id());
        if (out.json()) {
            out.document(new Result(id, lease.ttl().toSeconds()));
        } else {
            out.line("lease " + id + " granted with TTL " + lease.ttl().toSeconds() + " s");
        }
        return ExitCode.OK;
    }
}
