package io.etcdkit.internal.watch;

import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * A cold {@link Flow.Publisher} over watchers: each subscriber gets its own watcher whose delivery counts the
 * subscriber's demand.
 */
final class FlowAdapter implements Flow.Publisher<WatchEvent> {
    /** Starts a watcher delivering to the given delivery; the delivery is created with zero demand. */
    private final BiFunction<Delivery, Flow.Subscriber<? super WatchEvent>, Watcher> start;
    private final java.util.concurrent.Executor executor;
    private final io.etcdkit.observe.EtcdListener listener;
    private final int capacity;

    FlowAdapter(java.util.concurrent.Executor executor, io.etcdkit.observe.EtcdListener listener, int capacity,
            BiFunction<Delivery, Flow.Subscriber<? super WatchEvent>, Watcher> start) {
        this.executor = executor;
        this.listener = listener;
        this.capacity = capacity;
        this.start = start;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super WatchEvent> subscriber) {
        java.util.Objects.requireNonNull(subscriber, "subscriber");
        AtomicBoolean done = new AtomicBoolean();
        Delivery delivery = new Delivery(executor, listener, subscriber::onNext, () -> {
            if (done.compareAndSet(false, true)) {
                subscriber.onComplete();
            }
        }, capacity, 0);
        java.util.concurrent.atomic.AtomicReference<Watcher> watcher = new java.util.concurrent.atomic.AtomicReference<>();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    cancel();
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("Flow rule 3.9: request(" + n
                                + ") must be positive"));
                    }
                    return;
                }
                delivery.request(n);
            }

            @Override
            public void cancel() {
                done.set(true);
                Watcher w = watcher.get();
                if (w != null) {
                    w.close();
                }
                delivery.stop();
            }
        });
        if (!done.get()) {
            watcher.set(start.apply(delivery, subscriber));
            if (done.get()) {
                watcher.get().close(); // cancelled while starting
            }
        }
    }
}
