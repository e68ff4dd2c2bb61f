package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit ls [PREFIX] [--keys-only] [--limit N]}: lists keys. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List keys with their metadata.",
            "Lists the keys under PREFIX (every key without it) in key order: a table of key, version, "
                + "last modification revision, lease and value (shortened), or with --keys-only one key per line.",
            "Without --limit the keys are read in pages at one revision, so any number of keys can be listed."})
final class LsCommand extends ClientCommand {
    private static final int VALUE_WIDTH = 60;
    private static final int PAGE = 1000;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "",
            description = "List keys starting with this (default: every key).")
    String prefix;

    @Option(names = "--keys-only", description = "Only the keys, one per line.")
    boolean keysOnly;

    @Option(names = "--limit", paramLabel = "N", description = "At most N keys.")
    long limit;

    record Result(List<KeyValueView> kvs, boolean more) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        if (limit < 0) {
            throw CliException.usage("--limit must be positive, got " + limit);
        }
        Range range = keysOnly ? Range.prefix(prefix).keysOnly() : Range.prefix(prefix);
        List<KeyValue> kvs;
        boolean more = false;
        if (limit > 0) {
            RangeResult result = client.kv().range(range.limit(limit));
            kvs = result.kvs();
            more = result.more();
        } else {
            try (Stream<KeyValue> scan = client.kv().scan(range, PAGE)) {
                kvs = scan.toList();
            }
        }
        if (out.json()) {
            out.document(new Result(kvs.stream().map(keysOnly ? KeyValueView::keyOnly : KeyValueView::of).toList(),
                    more));
            return ExitCode.OK;
        }
        if (keysOnly) {
            kvs.forEach(kv -> out.line(Output.escape(kv.keyAsString())));
        } else {
            Table table = new Table("KEY", "VERSION", "MOD-REV", "LEASE", "VALUE");
            for (KeyValue kv : kvs) {
                String lease = LeaseIdConverter.formatOrNull(kv.lease());
                table.row(Output.escape(kv.keyAsString()), kv.version(), kv.modRevision(), lease == null ? "-" : lease,
                        Output.shorten(kv.valueAsString(), VALUE_WIDTH));
            }
            out.table(table);
        }
        if (more) {
            err().println("(more keys exist; raise --limit or leave it out)");
        }
        return ExitCode.OK;
    }
}
