package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.DeleteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit del KEY [--prefix]}: deletes a key or every key under a prefix. */
@Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Delete a key or every key under a prefix.",
            "Deletes KEY, or with --prefix every key that starts with KEY, and prints how many keys were deleted. "
                + "Deleting nothing is not an error (exit 0, prints 0)."})
final class DelCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (or prefix with --prefix).")
    String key;

    @Option(names = "--prefix", description = "Delete every key that starts with KEY.")
    boolean prefix;

    record Result(long deleted, long revision) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        if (prefix && key.isEmpty()) {
            throw CliException.usage("an empty prefix would delete every key; name the prefix to delete");
        }
        DeleteResult result = client.kv().delete(prefix ? Delete.prefix(key) : Delete.key(key));
        if (out.json()) {
            out.document(new Result(result.deleted(), result.revision()));
        } else {
            out.line(String.valueOf(result.deleted()));
        }
        return ExitCode.OK;
    }
}
