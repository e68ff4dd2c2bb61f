package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.DeleteResult;
import io.etcdkit.kv.OpResult;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code etcdkit txn --if COMPARE... --then OP... --else OP...}: one atomic etcd transaction. */
@Command(name = "txn", mixinStandardHelpOptions = true,
        description = {"Run an atomic if/then/else transaction.",
            "If every --if holds, the --then operations run, otherwise the "
                + "--else operations; all at one revision. Exits 0 when the then branch ran, 4 when the else branch "
                + "ran (so 'txn --if ...' alone is a check).",
            "Compares:   TARGET(KEY) OP VALUE, TARGET one of value, version, create, mod, lease; OP one of = != > <;",
            "            exists(KEY), absent(KEY). version is 0 for a missing key; create/mod are revisions; lease "
                + "is a hex id (0: none).",
            "Operations: put KEY VALUE | del [--prefix] KEY | get [--prefix] KEY",
            "A value is the rest of the text; double-quote keys or values with spaces (\"\" is the empty value).",
            "Example: etcdkit txn --if 'version(lock/owner) = 0' --then 'put lock/owner me' --else 'get lock/owner'"})
final class TxnCommand extends ClientCommand {
    @Option(names = "--if", paramLabel = "COMPARE", description = "A condition; all must hold for --then to run.")
    List<String> compares = new ArrayList<>();

    @Option(names = "--then", paramLabel = "OPERATION", description = "Runs when every --if holds.")
    List<String> thenOps = new ArrayList<>();

    @Option(names = "--else", paramLabel = "OPERATION", description = "Runs when some --if fails.")
    List<String> elseOps = new ArrayList<>();

    record Result(boolean succeeded, String branch, long revision, List<OperationResult> results) {
    }

    record OperationResult(String op, String key, boolean prefix, Long revision, Long deleted,
            List<KeyValueView> kvs) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        List<Compare> parsedCompares = compares.stream().map(TxnSyntax::compare).toList();
        List<TxnSyntax.Operation> then = thenOps.stream().map(t -> TxnSyntax.operation(t, "--then")).toList();
        List<TxnSyntax.Operation> otherwise = elseOps.stream().map(t -> TxnSyntax.operation(t, "--else")).toList();
        if (parsedCompares.isEmpty() && then.isEmpty() && otherwise.isEmpty()) {
            throw CliException.usage("a txn needs at least one --if, --then or --else");
        }
        TxnResult result = client.kv().commit(Transaction.when(parsedCompares)
                .then(then.stream().map(TxnSyntax.Operation::op).toList())
                .otherwise(otherwise.stream().map(TxnSyntax.Operation::op).toList()));
        List<TxnSyntax.Operation> ran = result.succeeded() ? then : otherwise;
        List<OperationResult> results = new ArrayList<>();
        for (int i = 0; i < ran.size(); i++) {
            results.add(describe(ran.get(i), result.results().get(i)));
        }
        if (out.json()) {
            out.document(new Result(result.succeeded(), result.succeeded() ? "then" : "else", result.revision(),
                    results));
        } else {
            out.line(result.succeeded() ? "SUCCESS: every compare held; the then branch ran (revision "
                    + result.revision() + ")" : "FAILURE: a compare failed; the else branch ran (revision "
                    + result.revision() + ")");
            for (int i = 0; i < ran.size(); i++) {
                print(out, ran.get(i), result.results().get(i));
            }
        }
        return result.succeeded() ? ExitCode.OK : ExitCode.COMPARE_FAILED;
    }

    private static OperationResult describe(TxnSyntax.Operation op, OpResult r) {
        if (r instanceof PutResult p) {
            return new OperationResult(op.verb(), op.key(), false, p.revision(), null, null);
        }
        if (r instanceof DeleteResult d) {
            return new OperationResult(op.verb(), op.key(), op.prefix(), d.revision(), d.deleted(), null);
        }
        RangeResult g = (RangeResult) r;
        return new OperationResult(op.verb(), op.key(), op.prefix(), g.revision(), null,
                g.kvs().stream().map(KeyValueView::of).toList());
    }

    private static void print(Output out, TxnSyntax.Operation op, OpResult r) {
        if (r instanceof PutResult) {
            out.line(op.describe() + ": ok");
        } else if (r instanceof DeleteResult d) {
            out.line(op.describe() + ": " + d.deleted() + " deleted");
        } else {
            RangeResult g = (RangeResult) r;
            if (!op.prefix()) {
                out.line(op.describe() + ": " + g.first().map(kv -> Output.escape(kv.valueAsString()))
                        .orElse("(not found)"));
            } else {
                out.line(op.describe() + ": " + g.kvs().size() + " keys");
                for (KeyValue kv : g.kvs()) {
                    out.line("  " + Output.escape(kv.keyAsString()) + " = " + Output.escape(kv.valueAsString()));
                }
            }
        }
    }
}
