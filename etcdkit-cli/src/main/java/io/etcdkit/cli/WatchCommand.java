package io.etcdkit.cli;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit watch KEY [--prefix] [--snapshot] [--from-rev N]}: prints changes as they happen. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print changes of a key or prefix as they happen.",
            "Prints every change of KEY (or with --prefix of every key under it) until Ctrl-C (exit 130), one "
                + "line per event:",
            "  PUT key = value (rev N)    DELETE key (rev N)",
            "and '#' lines for the connection: disconnected, resumed (no event is lost in between), compacted.",
            "--snapshot first prints every existing key, then live changes with nothing missed or doubled, and "
                + "re-syncs by itself after a compaction. Without it, a compaction that removed revisions the watch "
                + "still needed ends the watch with exit 1. -o json prints one JSON object per line."})
final class WatchCommand extends ClientCommand {
    private static final int BUFFERED_EVENTS = 1024;
    @Parameters(index = "0", paramLabel = "KEY", description = "The key (or prefix with --prefix).")
    String key;

    @Option(names = "--prefix", description = "Watch every key that starts with KEY.")
    boolean prefix;

    @Option(names = "--snapshot", description = "Print the current keys first, then live changes.")
    boolean snapshot;

    @Option(names = "--from-rev", paramLabel = "N", description = "Start at revision N (older changes included).")
    long fromRevision;

    @Override
    @SuppressWarnings("try") // the watcher and the signal only need closing
    int run(EtcdClient client, Output out) {
        if (snapshot && fromRevision != 0) {
            throw CliException.usage("--snapshot and --from-rev do not go together: --snapshot reads the current "
                    + "keys and then watches from there");
        }
        if (fromRevision < 0) {
            throw CliException.usage("--from-rev must be positive, got " + fromRevision);
        }
        if (key.isEmpty() && !prefix) {
            throw CliException.usage("the key to watch must not be empty (use --prefix '' to watch every key)");
        }
        // Bounded: when stdout is slower than etcd, the listener waits, the watcher's buffer fills and its
        // server-side watch pauses until printing catches up (nothing is lost), instead of memory filling up.
        BlockingQueue<WatchEvent> events = new ArrayBlockingQueue<>(BUFFERED_EVENTS);
        AtomicBoolean stopping = new AtomicBoolean();
        WatchListener handOver = event -> {
            try {
                while (!stopping.get() && !events.offer(event, 100, TimeUnit.MILLISECONDS)) {
                    // printing is behind; wait for room
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (ShutdownSignal signal = ShutdownSignal.install(); Watcher watcher = open(client, handOver)) {
            try {
                while (true) {
                    print(out, events.take());
                }
            } finally {
                stopping.set(true);
            }
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }

    private Watcher open(EtcdClient client, WatchListener listener) {
        if (snapshot) {
            Bytes exact = Bytes.of(key);
            return client.watches().subscribe(Subscribe.prefix(key), event -> {
                if (prefix || !(event instanceof PutEvent p && !p.kv().key().equals(exact))
                        && !(event instanceof DeleteEvent d && !d.key().equals(exact))) {
                    listener.onEvent(event);
                }
            });
        }
        Watch watch = prefix ? Watch.prefix(key) : Watch.key(key);
        return client.watches().watch(fromRevision > 0 ? watch.fromRevision(fromRevision) : watch, listener);
    }

    /** Prints one event; throws when it ended the watch. */
    private static void print(Output out, WatchEvent event) {
        if (event instanceof PutEvent p) {
            show(out, Output.fields("type", "put", "key", p.kv().keyAsString(), "value", p.kv().valueAsString(),
                    "revision", p.revision(), "createRevision", p.kv().createRevision(), "version", p.kv().version(),
                    "lease", LeaseIdConverter.formatOrNull(p.kv().lease())),
                    "PUT " + Output.escape(p.kv().keyAsString()) + " = " + Output.escape(p.kv().valueAsString())
                            + " (rev " + p.revision() + ")");
        } else if (event instanceof DeleteEvent d) {
            show(out, Output.fields("type", "delete", "key", d.key().toStringUtf8(), "revision", d.revision()),
                    "DELETE " + Output.escape(d.key().toStringUtf8()) + " (rev " + d.revision() + ")");
        } else if (event instanceof ConnectedEvent c) {
            show(out, Output.fields("type", "connected", "revision", c.fromRevision(), "endpoint", c.endpoint()),
                    "# watching from revision " + c.fromRevision() + " on " + c.endpoint());
        } else if (event instanceof SnapshotCompleteEvent s) {
            show(out, Output.fields("type", "snapshot-complete", "revision", s.revision(), "keys", s.keys()),
                    "# snapshot complete: " + s.keys() + " keys at revision " + s.revision() + "; live changes follow");
        } else if (event instanceof SnapshotRestartedEvent r) {
            show(out, Output.fields("type", "snapshot-restarted", "compactRevision", r.compactRevision()),
                    "# the snapshot was compacted while reading: the keys above are void, it starts over");
        } else if (event instanceof DisconnectedEvent d) {
            show(out, Output.fields("type", "disconnected", "reason", ErrorReporter.oneLine(d.cause())),
                    "# disconnected: " + ErrorReporter.oneLine(d.cause()) + "; resuming when a member answers");
        } else if (event instanceof ResumedEvent r) {
            show(out, Output.fields("type", "resumed", "revision", r.fromRevision(), "endpoint", r.endpoint()),
                    "# resumed from revision " + r.fromRevision() + " on " + r.endpoint() + "; nothing was missed");
        } else if (event instanceof ResyncStartedEvent r) {
            show(out, Output.fields("type", "resync-started", "compactRevision", r.compactRevision()),
                    "# compacted at revision " + r.compactRevision() + " while away: re-reading; the differences "
                            + "follow");
        } else if (event instanceof ResyncedEvent r) {
            show(out, Output.fields("type", "resynced", "revision", r.revision()),
                    "# re-synced at revision " + r.revision() + "; live changes follow");
        } else if (event instanceof CompactedEvent c) {
            show(out, Output.fields("type", "compacted", "compactRevision", c.compactRevision(),
                    "requestedRevision", c.requestedRevision()),
                    "# compacted: the changes from revision " + c.requestedRevision() + " are gone (oldest kept: "
                            + c.compactRevision() + ")");
            throw new CliException(ExitCode.FAILURE, "the watch ended: changes from revision "
                    + c.requestedRevision() + " were compacted away (oldest kept: " + c.compactRevision()
                    + "); watch again with --snapshot, which re-syncs after compaction");
        } else if (event instanceof EndedEvent e) {
            show(out, Output.fields("type", "ended", "reason", ErrorReporter.oneLine(e.cause())), "# watch ended");
            throw e.cause();
        }
    }

    private static void show(Output out, Object json, String text) {
        if (out.json()) {
            out.event(json);
        } else {
            out.line(text);
        }
    }
}
