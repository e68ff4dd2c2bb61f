package io.etcdkit.internal.watch;

import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.WatchEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer's queue of events: delivers them one at a time, in order, on the callback executor, as far as
 * the consumer's demand allows (unbounded for listeners, counted for {@code Flow} subscribers).
 *
 * <p>The queue itself is not bounded here: producers look at {@link #offer}'s returned size and stop producing
 * (pause the server-side watch, stop paging) when it reaches their capacity; {@link #setOnDrained} tells them when
 * the queue has fallen to half of it again. A terminal event ({@link CompactedEvent}, {@link EndedEvent}) is the
 * last one delivered; {@code onTerminated} runs after it.
 *
 * <p>The client's listener hears {@code watchEventsDelivered} once per hand-over batch with the number of puts and
 * deletes the consumer was given; without a listener the delivery loop does no counting at all.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final int BATCH = 256;

    private final Executor executor;
    private final EtcdListener listener;
    private final Consumer<WatchEvent> consumer;
    private final Runnable caughtUp;
    private final Runnable onTerminated;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>(4);
    private long demand;
    private boolean draining;
    private boolean terminalQueued;
    private volatile boolean stopped; // written under lock; read without it between deliveries
    private volatile Runnable onDrained = () -> { };

    Delivery(Executor executor, EtcdListener listener, Consumer<WatchEvent> consumer, Runnable onTerminated,
            int capacity, long initialDemand) {
        this(executor, listener, consumer, null, onTerminated, capacity, initialDemand);
    }

    /**
     * A delivery that also runs {@code caughtUp} (if not null) whenever it has handed over every queued event,
     * before it stops draining, so the call never overlaps a delivery.
     */
    Delivery(Executor executor, EtcdListener listener, Consumer<WatchEvent> consumer, Runnable caughtUp,
            Runnable onTerminated, int capacity, long initialDemand) {
        this.executor = executor;
        this.listener = listener;
        this.consumer = consumer;
        this.caughtUp = caughtUp;
        this.onTerminated = onTerminated;
        this.capacity = capacity;
        this.demand = initialDemand;
    }

    int capacity() {
        return capacity;
    }

    void setOnDrained(Runnable r) {
        this.onDrained = r;
    }

    /** Queues events; returns the queue size after. Events after a terminal event or stop are dropped. */
    int offer(List<WatchEvent> events) {
        lock.lock();
        try {
            if (stopped || terminalQueued) {
                return 0;
            }
            for (WatchEvent e : events) {
                queue.add(e);
                if (e instanceof CompactedEvent || e instanceof EndedEvent) {
                    terminalQueued = true;
                    break;
                }
            }
            scheduleLocked();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    int offer(WatchEvent event) {
        return offer(List.of(event));
    }

    /** The number of events queued. */
    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Adds demand (Flow {@code request(n)}). */
    void request(long n) {
        lock.lock();
        try {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            scheduleLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything queued and delivers nothing more. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    private void scheduleLocked() {
        if (!draining && !queue.isEmpty() && demand > 0 && !stopped) {
            draining = true;
            executor.execute(this::drain);
        }
    }

    /**
     * Delivers queued events until the queue is empty or demand runs out; takes up to {@link #BATCH} events per
     * lock acquisition (one lock round trip per batch, not per event) and re-checks {@link #stopped} before each
     * delivery, so nothing is delivered after {@link #stop()} returns to a thread that saw it.
     */
    private void drain() {
        WatchEvent[] batch = null;
        boolean sinceCaughtUp = false; // events handed over since the last caughtUp call of this run
        boolean drainedSignal = false;
        boolean firstBatch = true;
        while (true) {
            int n = 0;
            boolean tellCaughtUp = false;
            lock.lock();
            try {
                tellCaughtUp = queue.isEmpty() && sinceCaughtUp && caughtUp != null;
                if (stopped || demand == 0 || (queue.isEmpty() && !tellCaughtUp)) {
                    draining = false;
                    drainedSignal = !stopped && queue.size() <= capacity / 2;
                    break;
                }
                if (!tellCaughtUp) {
                    if (!firstBatch) {
                        // Let other consumers' deliveries run on the executor too.
                        executor.execute(this::drain);
                        drainedSignal = queue.size() <= capacity / 2;
                        break;
                    }
                    int take = (int) Math.min(BATCH, Math.min(demand, queue.size()));
                    batch = new WatchEvent[take];
                    while (n < take) {
                        batch[n++] = queue.poll();
                    }
                    if (demand != Long.MAX_VALUE) {
                        demand -= n;
                    }
                }
                // Still "draining" while the hook or the batch runs, so no other run can deliver concurrently.
            } finally {
                lock.unlock();
            }
            if (tellCaughtUp) {
                sinceCaughtUp = false;
                try {
                    caughtUp.run();
                } catch (RuntimeException e) {
                    LOG.warn("a watch listener threw from onCaughtUp; the watcher continues", e);
                }
                continue;
            }
            firstBatch = false;
            sinceCaughtUp = true;
            boolean counting = listener != EtcdListener.NONE;
            int changes = 0;
            for (int i = 0; i < n; i++) {
                WatchEvent next = batch[i];
                if (stopped) {
                    break;
                }
                try {
                    consumer.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("a watch listener threw; the watcher continues", e);
                }
                if (counting && (next instanceof PutEvent || next instanceof DeleteEvent)) {
                    changes++;
                }
                if (next instanceof CompactedEvent || next instanceof EndedEvent) {
                    stop();
                    delivered(changes);
                    onTerminated.run();
                    return;
                }
            }
            delivered(changes);
        }
        if (drainedSignal) {
            onDrained.run();
        }
    }

    private void delivered(int changes) {
        if (changes > 0) {
            listener.watchEventsDelivered(changes);
        }
    }
}
