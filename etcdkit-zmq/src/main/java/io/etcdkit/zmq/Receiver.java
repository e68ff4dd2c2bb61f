package io.etcdkit.zmq;

import io.etcdkit.Bytes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZEvent;
import org.zeromq.ZMonitor;
import org.zeromq.ZMQ;

/**
 * The receiving thread of a {@link ZmqSubscriber}: owns the SUB socket, its monitor and a control socket, and is
 * the only thread that touches them. Other threads hand it work with {@link #post} (wakes it through the control
 * socket). Every event is emitted from this thread, so listeners see one ordered stream.
 */
final class Receiver<T> implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int BATCH = 256;
    private static final byte[] WAKE = new byte[0];
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final ZMQ.Context context;
    private final long id;
    private final int receiveHighWaterMark;
    // Opened by the receiving thread in run(), the only thread that uses them (see the class comment of open()):
    private ZMQ.Socket sub;
    private ZMQ.Socket monitor;
    private ZMQ.Socket control;
    private ZMQ.Socket waker; // used by any thread, under wakeLock; null until opened and after closing
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Map<String, Topic<T>> topics;
    private final SubscriberListener<T> listener;
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile ZmqException openFailure;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Set<ZmqAddress> connectedView = Set.of();
    private volatile Set<ZmqAddress> wantedView = Set.of();
    // Receiving thread only:
    private final Map<ZmqAddress, Integer> wanted = new HashMap<>();
    private final Set<ZmqAddress> connected = new HashSet<>();
    private final Map<SequenceKey, long[]> lastSequence = new HashMap<>();

    private record SequenceKey(String topic, long publisherId) {
    }

    /** Takes a use of the shared context; the sockets are opened by the receiving thread once {@link #start()}ed. */
    Receiver(Map<String, Topic<T>> topics, int receiveHighWaterMark, SubscriberListener<T> listener) {
        this.topics = Map.copyOf(topics);
        this.listener = listener;
        this.receiveHighWaterMark = receiveHighWaterMark;
        this.id = IDS.incrementAndGet();
        this.context = ZmqContexts.acquire();
        this.thread = new Thread(this, ZmqContexts.THREAD_PREFIX + "sub-receiver-" + id);
        thread.setDaemon(true);
    }

    /**
     * Opens the sockets on the receiving thread. JeroMQ sockets are single-threaded: a SUB socket created on one
     * thread and connected and polled on another stalled its first ZMTP handshake in about 1 of 10 fresh starts
     * against a publisher in another process (Connected, then Disconnected when the 2 s handshake interval ran
     * out, then Connected again; {@code ZmqFirstConnectTest}). Created and used on this thread only, it never did.
     */
    private void open() {
        List<ZMQ.Socket> made = new ArrayList<>();
        try {
            sub = open(made, SocketType.SUB);
            sub.setRcvHWM(receiveHighWaterMark);
            for (Topic<T> t : this.topics.values()) {
                sub.subscribe(t.nameBytes());
            }
            String monitorEndpoint = "inproc://etcdkit-zmq-monitor-" + id;
            if (!sub.monitor(monitorEndpoint, ZMQ.EVENT_HANDSHAKE_PROTOCOL | ZMQ.EVENT_DISCONNECTED)) {
                throw new ZmqException("could not start the ZeroMQ socket monitor (errno " + sub.errno() + ")");
            }
            monitor = open(made, SocketType.PAIR);
            monitor.connect(monitorEndpoint);
            String controlEndpoint = "inproc://etcdkit-zmq-control-" + id;
            control = open(made, SocketType.PAIR);
            control.bind(controlEndpoint);
            ZMQ.Socket w = open(made, SocketType.PAIR);
            w.connect(controlEndpoint);
            wakeLock.lock();
            try {
                waker = w;
            } finally {
                wakeLock.unlock();
            }
        } catch (RuntimeException e) {
            made.forEach(ZMQ.Socket::close);
            sub = null;
            throw e instanceof ZmqException z ? z : new ZmqException("could not open the subscriber's sockets: " + e,
                    e);
        }
    }

    private ZMQ.Socket open(List<ZMQ.Socket> made, SocketType type) {
        ZMQ.Socket s = context.socket(type);
        made.add(s);
        ZmqContexts.configure(s);
        return s;
    }

    /**
     * Starts the receiving thread and waits until it has opened its sockets; a failure to open them is thrown
     * here, after the thread has ended and released the context.
     */
    void start() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            thread.start();
        }
        boolean interrupted = false;
        while (true) {
            try {
                opened.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // opening is quick and bounded; finish waiting, then restore the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (openFailure != null) {
            stop();
            throw openFailure;
        }
    }

    /** Runs {@code command} on the receiving thread, soon. Dropped once the receiver is stopping. */
    void post(Runnable command) {
        commands.add(command);
        wake();
    }

    private void wake() {
        wakeLock.lock();
        try {
            if (waker != null) { // before opening, the commands run before the first poll anyway
                waker.send(WAKE, ZMQ.DONTWAIT); // a full queue means a wake-up is already pending
            }
        } finally {
            wakeLock.unlock();
        }
    }

    /** Asks the receiving thread to stop; returns at once. */
    void requestStop() {
        stopping = true;
        wake();
    }

    /**
     * Stops and waits until the sockets and context are closed, {@link SubscriberEvent.Stopped} was delivered and
     * the receiving thread has ended.
     * From the receiving thread itself (a listener) it only asks, and the thread stops after the listener returns.
     * Before {@link #start()} it closes everything on the calling thread. Idempotent.
     */
    void stop() {
        synchronized (this) {
            if (thread.getState() == Thread.State.NEW) {
                if (!stopping) {
                    stopping = true;
                    ZmqContexts.release(); // no socket was opened yet
                    done.countDown();
                }
                return;
            }
        }
        requestStop();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!done.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("subscriber receiver {} did not stop within {}", thread.getName(), STOP_WAIT);
                return;
            }
            ZmqContexts.awaitEnd(List.of(thread)); // it has only to return from run() now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isStopping() {
        return stopping;
    }

    Set<ZmqAddress> connectedAddresses() {
        return connectedView;
    }

    Set<ZmqAddress> wantedAddresses() {
        return wantedView;
    }

    @Override
    public void run() {
        try {
            open();
        } catch (ZmqException e) {
            openFailure = e;
            stopping = true;
            ZmqContexts.release();
            opened.countDown();
            done.countDown();
            return;
        }
        opened.countDown();
        ZmqException failure = null;
        ZMQ.Poller poller = context.poller(3);
        try {
            poller.register(control, ZMQ.Poller.POLLIN);
            poller.register(monitor, ZMQ.Poller.POLLIN);
            poller.register(sub, ZMQ.Poller.POLLIN);
            while (!stopping) {
                runCommands();
                if (stopping) {
                    break;
                }
                poller.poll(-1);
                if (poller.pollin(0)) {
                    while (control.recv(ZMQ.DONTWAIT) != null) {
                        // drain wake-ups; the commands are in the queue
                    }
                }
                if (poller.pollin(1)) {
                    drainMonitor();
                }
                if (poller.pollin(2)) {
                    drainMessages();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("subscriber receiver {} failed", thread.getName(), e);
            failure = e instanceof ZmqException z ? z : new ZmqException("the subscriber failed: " + e, e);
        } finally {
            stopping = true;
            for (ZmqAddress a : List.copyOf(connected)) {
                markDisconnected(a);
            }
            poller.close();
            closeSockets();
            emit(new SubscriberEvent.Stopped<>(Optional.ofNullable(failure)));
            done.countDown();
        }
    }

    /**
     * Closes the sockets in the one order that cannot hang the shared I/O thread: JeroMQ's I/O thread writes
     * monitor events with a blocking send, so once the reading end is closed, an event still to come (the
     * disconnects that closing {@code sub} causes) would block that thread forever and with it every other socket
     * of the context. So: empty the reading end (a full one would block the writer too), stop monitoring (after
     * this no event is written), and only then close {@code sub} and the reading end.
     */
    private void closeSockets() {
        while (monitor.recv(ZMQ.DONTWAIT) != null) {
            // events no one will read; ZEvent frames are dropped one by one
        }
        sub.monitor(null, 0);
        sub.close();
        monitor.close();
        control.close();
        wakeLock.lock();
        try {
            waker.close();
            waker = null;
        } finally {
            wakeLock.unlock();
        }
        ZmqContexts.release();
    }

    private void runCommands() {
        Runnable c;
        while (!stopping && (c = commands.poll()) != null) {
            c.run();
        }
    }

    /** Connects to {@code address} unless already connected for another reason (counted). Receiving thread. */
    void connectTo(ZmqAddress address) {
        if (wanted.merge(address, 1, Integer::sum) == 1) {
            sub.connect(address.endpoint());
            wantedView = Set.copyOf(wanted.keySet());
        }
    }

    /** Undoes one {@link #connectTo}; the last one disconnects. Receiving thread. */
    void disconnectFrom(ZmqAddress address) {
        Integer count = wanted.get(address);
        if (count == null) {
            return;
        }
        if (count > 1) {
            wanted.put(address, count - 1);
            return;
        }
        wanted.remove(address);
        wantedView = Set.copyOf(wanted.keySet());
        sub.disconnect(address.endpoint());
        markDisconnected(address); // ZeroMQ's monitor says nothing when we leave an address ourselves
    }

    private void markDisconnected(ZmqAddress address) {
        if (connected.remove(address)) {
            connectedView = Set.copyOf(connected);
            emit(new SubscriberEvent.Disconnected<>(address));
        }
    }

    private void drainMonitor() {
        ZEvent event;
        while ((event = ZEvent.recv(monitor, ZMQ.DONTWAIT)) != null) {
            ZmqAddress address;
            try {
                address = ZmqAddress.parse(event.getAddress());
            } catch (RuntimeException e) {
                LOG.debug("ignoring monitor event {} for {}", event.getEvent(), event.getAddress());
                continue;
            }
            // Connected only once the ZMTP handshake has succeeded: a TCP connection alone carries no message yet.
            if (event.getEvent() == ZMonitor.Event.HANDSHAKE_PROTOCOL) {
                // A late event for an address we already left is stale.
                if (wanted.containsKey(address) && connected.add(address)) {
                    connectedView = Set.copyOf(connected);
                    emit(new SubscriberEvent.Connected<>(address));
                }
            } else if (event.getEvent() == ZMonitor.Event.DISCONNECTED) {
                markDisconnected(address);
            }
        }
    }

    private void drainMessages() {
        for (int i = 0; i < BATCH && !stopping; i++) {
            byte[] first = sub.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> frames = new ArrayList<>(3);
            frames.add(first);
            while (sub.hasReceiveMore()) {
                frames.add(sub.recv(0));
            }
            handle(frames);
        }
    }

    private void handle(List<byte[]> frames) {
        String topicName = new String(frames.get(0), StandardCharsets.UTF_8);
        Topic<T> topic = topics.get(topicName);
        if (topic == null) {
            return; // a longer name that shares a subscribed prefix
        }
        Frames.Header header;
        try {
            header = Frames.read(frames);
        } catch (MalformedMessageException e) {
            emit(new SubscriberEvent.Malformed<>(Optional.of(topicName), new MalformedMessageException(
                    "topic '" + topicName + "': " + e.getMessage())));
            return;
        }
        trackSequence(topic, header);
        T value;
        try {
            value = topic.codec().decode(Bytes.of(frames.get(2)));
        } catch (RuntimeException e) {
            emit(new SubscriberEvent.Malformed<>(Optional.of(topicName), new MalformedMessageException(
                    "topic '" + topicName + "': message " + header.sequence() + " from publisher "
                            + Long.toHexString(header.publisherId()) + " (" + frames.get(2).length
                            + " bytes) does not decode with codec " + topic.codec() + ": " + e.getMessage()
                            + "; the sender uses another message format", e)));
            return;
        }
        emit(new SubscriberEvent.Message<>(topic, value, header.publisherId(), header.sequence()));
    }

    private void trackSequence(Topic<T> topic, Frames.Header header) {
        long[] last = lastSequence.computeIfAbsent(new SequenceKey(topic.name(), header.publisherId()),
                k -> new long[] {-1});
        long seq = header.sequence();
        if (last[0] >= 0 && seq > last[0] + 1) {
            emit(new SubscriberEvent.Missed<>(topic, header.publisherId(), last[0] + 1, seq - last[0] - 1));
        }
        last[0] = seq; // the first message from a publisher, or a restarted sequence, is a new baseline
    }

    /** Delivers one event to the listener; a failing listener is logged. Receiving thread. */
    void emit(SubscriberEvent<T> event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("subscriber listener failed on {}", event.getClass().getSimpleName(), e);
        }
    }
}
