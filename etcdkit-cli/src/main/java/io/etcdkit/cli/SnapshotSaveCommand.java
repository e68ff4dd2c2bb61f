package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.cluster.MemberStatus;
import io.etcdkit.cluster.SnapshotInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code etcdkit snapshot save FILE}: saves a snapshot with a progress bar. */
@Command(name = "save", mixinStandardHelpOptions = true,
        description = {"Save a snapshot to a file.",
            "Saves a snapshot of a member's backend to FILE, as 'etcdctl snapshot save' does (restore it "
                + "with 'etcdctl snapshot restore'). Progress is shown on stderr.",
            "The file is written under a temporary name, verified against etcd's digest, then renamed: FILE is "
                + "either the complete snapshot or untouched."})
final class SnapshotSaveCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "Where to save the snapshot (replaced if it exists).")
    Path file;

    record Result(String file, long size, String sha256, String endpoint) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        Path absolute = file.toAbsolutePath();
        if (!Files.isDirectory(absolute.getParent())) {
            throw CliException.usage("cannot save to " + file + ": the directory " + absolute.getParent()
                    + " does not exist");
        }
        long expected = expectedSize(client);
        SnapshotInfo info;
        try (ProgressBar progress = ProgressBar.start(options(), err(), "snapshot", expected,
                ProgressBar.Unit.BYTES)) {
            try {
                info = client.maintenance().snapshot(absolute, progress::update);
            } catch (RuntimeException e) {
                progress.stopped();
                throw e;
            }
            progress.update(info.size());
        }
        if (out.json()) {
            out.document(new Result(info.file().toString(), info.size(), info.sha256(), info.endpoint()));
        } else {
            out.line("saved snapshot " + file + " (" + ProgressBar.bytes(info.size()) + ", sha256 " + info.sha256()
                    + ") from " + info.endpoint());
        }
        return ExitCode.OK;
    }

    /** The size to expect: the largest member database plus etcd's digest, or unknown (-1). */
    private static long expectedSize(EtcdClient client) {
        try {
            return client.maintenance().status().stream().mapToLong(MemberStatus::dbSize).max().orElse(-33) + 32;
        } catch (RuntimeException e) {
            return -1; // the snapshot itself will say what is wrong
        }
    }
}
