package io.etcdkit.zmq;

import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a service watch's changes into connects and disconnects on the receiving thread: a publisher that appears
 * is connected to, one that leaves is disconnected from, one that moves (same id, new address) is both.
 */
final class PublisherFollower<T> implements ServiceWatchListener {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherFollower.class);

    private final Receiver<T> receiver;
    private final CountDownLatch firstFound = new CountDownLatch(1);

    PublisherFollower(Receiver<T> receiver) {
        this.receiver = receiver;
    }

    /** Counts down when the first usable publisher has been found. */
    CountDownLatch firstFound() {
        return firstFound;
    }

    @Override
    public void added(ServiceInstance instance) {
        address(instance).ifPresent(address -> {
            receiver.post(() -> {
                receiver.emit(new SubscriberEvent.PublisherFound<>(instance));
                receiver.connectTo(address);
            });
            firstFound.countDown();
        });
    }

    @Override
    public void removed(ServiceInstance instance) {
        address(instance).ifPresent(address -> receiver.post(() -> {
            receiver.emit(new SubscriberEvent.PublisherGone<>(instance));
            receiver.disconnectFrom(address);
        }));
    }

    @Override
    public void changed(ServiceInstance previous, ServiceInstance current) {
        if (!previous.address().equals(current.address())) {
            removed(previous);
            added(current);
        }
    }

    private static Optional<ZmqAddress> address(ServiceInstance instance) {
        try {
            ZmqAddress address = ZmqAddress.parse(instance.address());
            if (address.isWildcardHost() || address.port() == 0) {
                throw new io.etcdkit.InvalidArgumentException("it names no reachable host and port");
            }
            return Optional.of(address);
        } catch (RuntimeException e) {
            LOG.warn("ignoring registered publisher {} at '{}': not a ZeroMQ address to connect to ({})",
                    instance.id(), instance.address(), e.getMessage());
            return Optional.empty();
        }
    }
}
