package io.etcdkit.cli;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.lease.Lease;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit put KEY VALUE [--lease ID] [--ttl SECONDS]}: writes a key. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Write a key.",
            "Writes VALUE at KEY. With VALUE '-' the value is read from stdin, byte for byte (use printf or "
                + "echo -n to leave out a trailing newline).",
            "--lease attaches the key to an existing lease; --ttl grants a new lease of that TTL for it, so the "
                + "key vanishes after the TTL (the lease is not kept alive)."})
final class PutCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value, or - to read it from stdin.")
    String value;

    @Option(names = "--lease", paramLabel = "ID", converter = LeaseIdConverter.class,
            description = "Attach the key to this lease (hex id, as 'lease grant' prints it).")
    Long lease;

    @Option(names = "--ttl", paramLabel = "SECONDS", converter = DurationConverter.class,
            description = "Grant a lease of this TTL for the key (e.g. 30, 30s, 5m).")
    Duration ttl;

    record Result(String key, long revision, String lease, Long ttlSeconds) {
    }

    @Override
    int run(EtcdClient client, Output out) throws IOException {
        if (lease != null && ttl != null) {
            throw CliException.usage("give either --lease or --ttl, not both");
        }
        Bytes bytes = "-".equals(value) ? Bytes.of(EtcdkitCommand.stdin(spec).readAllBytes()) : Bytes.of(value);
        Put put = Put.of(Bytes.of(key), bytes);
        Long ttlSeconds = null;
        long leaseId = lease == null ? 0 : lease;
        if (ttl != null) {
            Lease granted = client.leases().grant(ttl);
            leaseId = granted.id();
            ttlSeconds = granted.ttl().toSeconds();
        }
        if (leaseId != 0) {
            put = put.lease(leaseId);
        }
        PutResult result = client.kv().put(put);
        if (out.json()) {
            out.document(new Result(key, result.revision(), LeaseIdConverter.formatOrNull(leaseId), ttlSeconds));
        } else {
            String leaseText = leaseId == 0 ? "" : ", lease " + LeaseIdConverter.format(leaseId)
                    + (ttlSeconds == null ? "" : " with TTL " + ttlSeconds + " s");
            out.line("OK (revision " + result.revision() + leaseText + ")");
        }
        return ExitCode.OK;
    }
}
