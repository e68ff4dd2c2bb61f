package io.etcdkit.zmq;

import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@link Flow.Subscriber}'s subscription to a subscriber's events. Demand is honoured by holding the receiving
 * thread until the downstream asks for more (so ZeroMQ queues fill and, past the high-water mark, the publisher
 * drops; the losses come as {@link SubscriberEvent.Missed} once demand returns). Cancel stops the subscriber.
 */
final class FlowSubscription<T> implements Flow.Subscription, SubscriberListener<T> {
    private final Flow.Subscriber<? super SubscriberEvent<T>> downstream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandChanged = lock.newCondition();
    private long demand; // guarded by lock
    private boolean cancelled; // guarded by lock
    private Throwable badRequest; // guarded by lock
    private ZmqSubscriber<T> subscriber; // guarded by lock
    private SubscriberEvent.Stopped<T> stoppedBeforeAttach; // guarded by lock

    FlowSubscription(Flow.Subscriber<? super SubscriberEvent<T>> downstream) {
        this.downstream = downstream;
    }

    /** Attaches the started subscriber; stops it at once if already cancelled. */
    void attach(ZmqSubscriber<T> started) {
        SubscriberEvent.Stopped<T> early;
        lock.lock();
        try {
            subscriber = started;
            early = stoppedBeforeAttach;
            if (early == null && !cancelled && badRequest == null) {
                return;
            }
        } finally {
            lock.unlock();
        }
        if (early != null) {
            finish(early);
        } else {
            started.requestStop();
        }
    }

    @Override
    public void onEvent(SubscriberEvent<T> event) {
        if (event instanceof SubscriberEvent.Stopped<T> stopped) {
            finish(stopped);
            return;
        }
        lock.lock();
        try {
            while (demand == 0 && !cancelled && !stopping()) {
                demandChanged.await(100, TimeUnit.MILLISECONDS);
            }
            if (cancelled || demand == 0) {
                return; // cancelled, or stopping with no demand left
            }
            demand--;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            lock.unlock();
        }
        downstream.onNext(event);
    }

    private boolean stopping() {
        return subscriber != null && subscriber.isStopped();
    }

    private void finish(SubscriberEvent.Stopped<T> stopped) {
        Throwable error;
        lock.lock();
        try {
            if (subscriber == null) {
                // Still starting: a failed start is signalled by failStart, a quick stop once attached.
                stoppedBeforeAttach = stopped;
                return;
            }
            error = badRequest;
            if (cancelled && error == null) {
                return;
            }
            cancelled = true;
        } finally {
            lock.unlock();
        }
        if (error == null && stopped.failure().isPresent()) {
            error = stopped.failure().get();
        }
        if (error != null) {
            downstream.onError(error);
        } else {
            downstream.onComplete();
        }
    }

    /** Signals a failure to start (nothing else was or will be signalled). */
    void failStart(Throwable error) {
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
        } finally {
            lock.unlock();
        }
        downstream.onError(error);
    }

    @Override
    public void request(long n) {
        ZmqSubscriber<T> toStop = null;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            if (n <= 0) {
                // Reactive Streams rule 3.9; signalled by the receiving thread when it stops, to keep signals serial.
                badRequest = new IllegalArgumentException("request(n) needs n > 0, got " + n);
                toStop = subscriber;
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
            demandChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (toStop != null) {
            toStop.requestStop();
        }
    }

    @Override
    public void cancel() {
        ZmqSubscriber<T> toStop;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toStop = subscriber;
            demandChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (toStop != null) {
            toStop.requestStop();
        }
    }
}
