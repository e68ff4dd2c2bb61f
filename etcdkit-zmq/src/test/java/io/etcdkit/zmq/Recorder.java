package io.etcdkit.zmq;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Records a subscriber's events and waits (bounded) for conditions on them. */
final class Recorder<T> implements SubscriberListener<T> {
    final List<SubscriberEvent<T>> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(SubscriberEvent<T> event) {
        events.add(event);
    }

    /** The first event matching {@code p} at or after index {@code from}, waiting up to {@code timeout}. */
    Optional<SubscriberEvent<T>> await(int from, Duration timeout, Predicate<SubscriberEvent<T>> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = from; i < events.size(); i++) {
                if (p.test(events.get(i))) {
                    return Optional.of(events.get(i));
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return Optional.empty();
            }
            Thread.sleep(5);
        }
    }

    /** Waits for a {@link SubscriberEvent.Connected} to {@code address} at or after {@code from}. */
    boolean awaitConnected(int from, ZmqAddress address, Duration timeout) throws InterruptedException {
        return await(from, timeout, e -> e instanceof SubscriberEvent.Connected<T> c && c.address().equals(address))
                .isPresent();
    }

    /** Waits for a {@link SubscriberEvent.Disconnected} from {@code address} at or after {@code from}. */
    boolean awaitDisconnected(int from, ZmqAddress address, Duration timeout) throws InterruptedException {
        return await(from, timeout,
                e -> e instanceof SubscriberEvent.Disconnected<T> d && d.address().equals(address)).isPresent();
    }

    /** Waits until at least {@code n} messages were received. */
    boolean awaitMessages(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (values().size() < n) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    List<T> values() {
        return events.stream().filter(e -> e instanceof SubscriberEvent.Message<T>)
                .map(e -> ((SubscriberEvent.Message<T>) e).value()).toList();
    }

    @SuppressWarnings("unchecked")
    <E> List<E> ofType(Class<?> type) {
        return events.stream().filter(type::isInstance).map(e -> (E) e).toList();
    }

    int size() {
        return events.size();
    }
}
