package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.kv.BulkLoadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit bulk load FILE}: loads many keys with a progress bar. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load keys from a file of JSON lines or KEY<TAB>VALUE lines.",
            "Writes every entry of FILE (- for stdin), in transactions of --batch puts with up to "
                + "--in-flight of them outstanding. Progress is shown on stderr.",
            "Input: UTF-8, one entry per line, either a JSON object {\"key\": \"k\", \"value\": \"v\"} (a non-string "
                + "value is stored as its JSON text) or KEY<TAB>VALUE; blank lines are skipped.",
            "The whole input is checked first: a malformed line is a usage error (exit 2) and nothing is written. "
                + "Each batch is atomic, the load as a whole is not: if a batch fails, the load stops, says how "
                + "many keys were written, and loading the same input again is safe."})
final class BulkLoadCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The input file, or - for stdin.")
    String file;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Puts per transaction (default: ${DEFAULT-VALUE}). etcd allows 128 unless started with a "
                    + "larger --max-txn-ops; larger transactions load faster. Each is also kept under etcd's "
                    + "1.5 MiB request limit.")
    int batch;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "4",
            description = "Transactions outstanding at once (default: ${DEFAULT-VALUE}).")
    int inFlight;

    record Result(long written, long millis) {
    }

    /** The server says whether it allows {@code --batch} puts in one transaction: the client does not refuse. */
    @Override
    void tune(EtcdClientBuilder builder) {
        builder.maxTxnOps(Math.max(batch, 128));
    }

    @Override
    int run(EtcdClient client, Output out) throws IOException {
        if (batch < 1 || inFlight < 1) {
            throw CliException.usage("--batch and --in-flight must be at least 1");
        }
        Path input = file.equals("-") ? null : Path.of(file);
        if (input != null && !Files.isReadable(input)) {
            throw CliException.usage(file + ": no such readable file");
        }
        Path buffered = input != null ? null : copyOfStdin();
        try {
            Path source = input != null ? input : buffered;
            long total = BulkInput.validate(source);
            long start = System.nanoTime();
            long written;
            try (ProgressBar progress = ProgressBar.start(options(), err(), "bulk load", total, ProgressBar.Unit.KEYS);
                    BufferedReader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                try {
                    written = client.kv().bulkLoader(batch, inFlight).load(BulkInput.entries(reader,
                            progress::update));
                } catch (BulkLoadException e) {
                    progress.stopped(); // the count shown is of keys read, not written
                    if (e.getCause() instanceof TooManyOperationsException) {
                        throw CliException.usage("--batch " + batch + " is more puts per transaction than etcd "
                                + "allows (its --max-txn-ops, 128 by default); use --batch 128 or less, or start "
                                + "etcd with a larger --max-txn-ops. " + e.written() + " keys were written");
                    }
                    throw e;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (out.json()) {
                out.document(new Result(written, millis));
            } else {
                out.line("loaded " + written + " keys in " + millis + " ms");
            }
            return ExitCode.OK;
        } finally {
            if (buffered != null) {
                Files.deleteIfExists(buffered);
            }
        }
    }

    /** Stdin, saved to a temporary file so it can be checked whole before anything is written. */
    private Path copyOfStdin() throws IOException {
        Path tmp = Files.createTempFile("etcdkit-bulk-", ".txt");
        InputStream in = EtcdkitCommand.stdin(spec); // not closed: it belongs to the caller
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        return tmp;
    }
}
