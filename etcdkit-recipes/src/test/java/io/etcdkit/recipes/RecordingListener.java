package io.etcdkit.recipes;

import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.EtcdListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener for recipe tests: counts the work a waiter does (reads, watches, wake-ups) and records what the
 * recipes report (locks, leadership, registry changes) in arrival order. Register it on the client the recipes use.
 */
public final class RecordingListener implements EtcdListener {
    /**
     * One recorded recipe event.
     *
     * @param kind the SPI method's name, e.g. {@code lockAcquired}
     * @param name the lock's, election's or service's name
     * @param duration the wait or hold time of lock events, else null
     * @param value {@code true}/{@code false} for leadership, the instance count for registry changes, else empty
     */
    public record Event(String kind, String name, Duration duration, String value) {
    }

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong watchesOpened = new AtomicLong();
    private final AtomicLong wakeUps = new AtomicLong();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    /** Read-only KV calls (ranges and read-only transactions) started so far. */
    public long reads() {
        return reads.get();
    }

    /** Watchers opened so far. */
    public long watchesOpened() {
        return watchesOpened.get();
    }

    /** Queue waiters woken so far. */
    public long wakeUps() {
        return wakeUps.get();
    }

    /** The recipe events of one kind about one name, in order. */
    public List<Event> events(String kind, String name) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.name().equals(name)).toList();
    }

    /** The kinds (with the value, if any) of the events about one name, in order, e.g. {@code leadershipChanged=true}. */
    public List<String> history(String name) {
        return events.stream().filter(e -> e.name().equals(name))
                .map(e -> e.value().isEmpty() ? e.kind() : e.kind() + "=" + e.value()).toList();
    }

    @Override
    public CallListener callStarted(CallInfo call) {
        if (!call.write() && call.service().equals("KV")
                && (call.method().equals("Range") || call.method().equals("Txn"))) {
            reads.incrementAndGet();
        }
        return CallListener.NONE;
    }

    @Override
    public void watcherOpened() {
        watchesOpened.incrementAndGet();
    }

    @Override
    public void queueWaiterWoken(String queue) {
        wakeUps.incrementAndGet();
        events.add(new Event("queueWaiterWoken", queue, null, ""));
    }

    @Override
    public void lockAcquired(String lock, Duration waited) {
        events.add(new Event("lockAcquired", lock, waited, ""));
    }

    @Override
    public void lockReleased(String lock, Duration held) {
        events.add(new Event("lockReleased", lock, held, ""));
    }

    @Override
    public void leadershipChanged(String election, boolean leader) {
        events.add(new Event("leadershipChanged", election, null, Boolean.toString(leader)));
    }

    @Override
    public void registryChanged(String service, int instances) {
        events.add(new Event("registryChanged", service, null, Integer.toString(instances)));
    }
}
