package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit get KEY [--prefix] [--rev N]}: reads a key, or every key under a prefix. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print the value of a key (or of every key under a prefix).",
            "Prints the value of KEY; with --prefix a table of every key under KEY and its value.",
            "The value alone is printed (ready for $(etcdkit get KEY)); -o json adds revisions, version and lease.",
            "Exits 3 when no key matched."})
final class GetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (or prefix with --prefix).")
    String key;

    @Option(names = "--prefix", description = "Read every key that starts with KEY (in one response).")
    boolean prefix;

    @Option(names = "--rev", paramLabel = "N", description = "Read the store as it was at revision N.")
    long revision;

    record Result(long revision, long count, List<KeyValueView> kvs) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        Range range = prefix ? Range.prefix(key) : Range.key(key);
        if (revision != 0) {
            range = range.atRevision(revision);
        }
        RangeResult result = client.kv().range(range);
        if (out.json()) {
            out.document(new Result(result.revision(), result.count(),
                    result.kvs().stream().map(KeyValueView::of).toList()));
        } else if (!prefix) {
            result.first().ifPresent(kv -> out.line(kv.valueAsString()));
        } else if (!result.kvs().isEmpty()) {
            Table table = new Table("KEY", "VALUE");
            for (KeyValue kv : result.kvs()) {
                table.row(Output.escape(kv.keyAsString()), Output.escape(kv.valueAsString()));
            }
            out.table(table);
        }
        if (result.kvs().isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND, prefix ? "no key starts with '" + key + "'"
                    : "key '" + key + "' not found" + (revision != 0 ? " at revision " + revision : ""));
        }
        return ExitCode.OK;
    }
}
