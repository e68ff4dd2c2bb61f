package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Watching a prefix two ways. A subscription delivers the keys that exist (a snapshot at one revision), a
 * {@link SnapshotCompleteEvent}, then live changes from the next revision: nothing missed or doubled between the
 * two. A plain watch from a past revision replays the history from there, with previous values. Uses the prefix
 * {@code examples/watch/}.
 */
public final class WatchPrefixExample {
    static final String PREFIX = "examples/watch/";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private WatchPrefixExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(PREFIX);
            long first = client.kv().put(PREFIX + "a", "1").revision();
            client.kv().put(PREFIX + "b", "2");

            BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            try (Watcher subscription = client.watches().subscribe(Subscribe.prefix(PREFIX), events::add)) {
                WatchEvent event;
                do {
                    event = next(events);
                    out.println("subscription: " + describe(event));
                } while (!(event instanceof SnapshotCompleteEvent));

                client.kv().put(PREFIX + "c", "3");
                client.kv().delete(PREFIX + "a");
                out.println("subscription: " + describe(next(events)));
                out.println("subscription: " + describe(next(events)));
            }

            // History: every change from the first put on, each with the value it replaced.
            events.clear();
            try (Watcher history = client.watches().watch(Watch.prefix(PREFIX).fromRevision(first).withPreviousValues(),
                    events::add)) {
                for (int i = 0; i < 5; i++) { // connected, then the 4 changes
                    out.println("history: " + describe(next(events)));
                }
            }
            client.kv().deletePrefix(PREFIX);
        }
    }

    static String describe(WatchEvent event) {
        if (event instanceof PutEvent put) {
            return "put " + put.kv().keyAsString() + "=" + put.kv().valueAsString()
                    + put.previous().map(p -> " (was " + p.valueAsString() + ")").orElse("")
                    + " at revision " + put.revision();
        } else if (event instanceof DeleteEvent delete) {
            return "delete " + delete.key()
                    + delete.previous().map(p -> " (was " + p.valueAsString() + ")").orElse("")
                    + " at revision " + delete.revision();
        } else if (event instanceof SnapshotCompleteEvent done) {
            return "snapshot complete: " + done.keys() + " keys at revision " + done.revision();
        } else if (event instanceof ConnectedEvent connected) {
            return "connected, delivering from revision " + connected.fromRevision();
        }
        return event.toString();
    }

    private static WatchEvent next(BlockingQueue<WatchEvent> events) throws InterruptedException {
        WatchEvent event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event == null) {
            throw new IllegalStateException("no watch event within " + WAIT);
        }
        return event;
    }
}
