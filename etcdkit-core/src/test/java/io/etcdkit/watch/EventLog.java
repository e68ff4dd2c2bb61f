package io.etcdkit.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects a watcher's events and waits (bounded) for conditions on them. */
final class EventLog implements WatchListener {
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<ConnectedEvent> connected = new ArrayList<>();

    /** Connection confirmations are kept apart so the tests can index the other events. */
    @Override
    public synchronized void onEvent(WatchEvent event) {
        if (event instanceof ConnectedEvent c) {
            connected.add(c);
        } else {
            events.add(event);
        }
        notifyAll();
    }

    synchronized List<ConnectedEvent> connected() {
        return List.copyOf(connected);
    }

    synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    synchronized <T extends WatchEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    synchronized List<WatchEvent> changes() {
        return events.stream().filter(e -> e instanceof PutEvent || e instanceof DeleteEvent).toList();
    }

    /** Waits until {@code condition} holds for the events so far; fails after {@code timeout}. */
    synchronized List<WatchEvent> await(Predicate<List<WatchEvent>> condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.test(events)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("condition not met within " + timeout + "; events so far: "
                        + (events.size() > 40 ? events.subList(events.size() - 40, events.size()) : events));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return List.copyOf(events);
    }

    List<WatchEvent> awaitChanges(int n, Duration timeout) {
        return await(ev -> ev.stream().filter(e -> e instanceof PutEvent || e instanceof DeleteEvent).count() >= n,
                timeout);
    }

    static long revision(WatchEvent e) {
        if (e instanceof PutEvent p) {
            return p.revision();
        }
        if (e instanceof DeleteEvent d) {
            return d.revision();
        }
        return -1;
    }
}
