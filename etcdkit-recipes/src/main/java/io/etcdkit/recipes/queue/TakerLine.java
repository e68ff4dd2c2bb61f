package io.etcdkit.recipes.queue;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The line of blocked takers of one {@link DistributedQueue} instance: they share one watch on the queue's prefix
 * (started when the first taker waits, closed when the last one leaves), and each value put wakes the first taker
 * in line only, not all of them. Takers of other instances (other processes) have their own line, so a value wakes
 * at most one taker per instance. A compaction or the end of the watch wakes every taker (they read again). Each
 * wake-up of a taker is reported as {@code EtcdListener.queueWaiterWoken(prefix)}.
 */
final class TakerLine {
    private final EtcdClient client;
    private final Bytes prefix;
    private final String name;
    private final ArrayDeque<CompletableFuture<Void>> line = new ArrayDeque<>();
    private Watcher watcher;
    private long generation;

    TakerLine(EtcdClient client, Bytes prefix) {
        this.client = client;
        this.prefix = prefix;
        this.name = prefix.toStringUtf8();
    }

    /**
     * Joins the line after a read at {@code readRevision} found the queue empty.
     *
     * @return completes when a value put after that read is this taker's to look at
     */
    synchronized CompletableFuture<Void> join(long readRevision) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        line.addLast(turn);
        if (watcher == null) {
            // Later takers read at a revision at or after this one, so this watch shows them every later put.
            long mine = ++generation;
            watcher = client.watches().watch(Watch.prefix(prefix).withoutDeletes().fromRevision(readRevision + 1),
                    e -> onEvent(mine, e));
        }
        return turn;
    }

    /**
     * Leaves the line. A taker woken for a value that it does not take (it timed out meanwhile) passes the wake-up
     * to the next in line.
     */
    synchronized void leave(CompletableFuture<Void> turn, boolean usedWakeUp) {
        if (!line.remove(turn) && !usedWakeUp && turn.isDone()) {
            wakeFirst();
        }
        if (line.isEmpty() && watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** How many takers wait in the line now, and whether its watch is open (for tests and diagnostics). */
    synchronized String state() {
        return line.size() + (watcher != null ? " waiting, watching" : " waiting");
    }

    private synchronized void onEvent(long from, WatchEvent e) {
        if (from != generation) {
            return; // a watch this line closed
        }
        if (e instanceof PutEvent) {
            wakeFirst();
        } else if (e instanceof CompactedEvent || e instanceof EndedEvent || e instanceof ResyncedEvent) {
            line.forEach(f -> f.complete(null));
            line.clear();
            if (e instanceof EndedEvent || e instanceof CompactedEvent) {
                watcher = null; // the next taker to wait starts a new watch
                generation++;
            }
        }
    }

    private void wakeFirst() {
        CompletableFuture<Void> first;
        while ((first = line.pollFirst()) != null) {
            if (first.complete(null)) {
                client.listener().queueWaiterWoken(name);
                return;
            }
        }
    }
}
