package io.etcdkit.internal.watch;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcdkit.EtcdException;
import io.etcdkit.PermissionDeniedException;
import io.etcdkit.internal.Backoff;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ErrorMapper;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import io.etcdkit.observe.EtcdListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC watch stream shared by many watchers.
 *
 * <p>Create requests are pipelined; etcd answers them in the order sent, so each {@code created} response is
 * matched to the oldest pending watcher. When the stream fails (error, end, or a member that stops answering a
 * probe while the stream is silent) every watcher is told it is disconnected, the member is avoided, and after a
 * jittered back-off a new stream on another member re-creates every running watcher from its next revision.
 * Responses of an old stream are ignored (generation check). A watcher whose consumer's buffer is full has its
 * server-side watch cancelled and re-created from its next revision once the consumer has caught up.
 *
 * <p>The client's listener hears {@code watchStreamConnected} when a stream's first answer arrives and
 * {@code watchStreamDisconnected} when a connected stream breaks, is moved off a silent member or is closed with
 * the client, so the two alternate per stream.
 */
final class WatchStream {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);

    private final Transport transport;
    private final EtcdListener listener;
    /** Silence after which the stream's member is probed, and the probe's deadline (or the attempt timeout). */
    private static final Duration PROBE_AFTER_AT_MOST = Duration.ofSeconds(1);
    private static final long PROBE_CHECK_NANOS = 250_000_000L;
    private final Duration probeAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<WatcherCore> watchers = new LinkedHashSet<>();
    private final ArrayDeque<WatcherCore> pendingCreates = new ArrayDeque<>();
    private static final int RESPONSE_FRAGMENT_FIELD = 7;
    private final Map<Long, WatcherCore> active = new HashMap<>();
    /** Events of responses marked as fragments, per watch id, until the last fragment arrives. */
    private final Map<Long, List<Event>> fragments = new HashMap<>();
    private ClientCall<WatchRequest, WatchResponse> call;
    private Transport.StreamTarget target;
    private int generation;
    private boolean connecting;
    /**
     * Whether creates ask etcd to fragment large responses. Off at first: etcd 3.4 cuts fragments in time quadratic
     * in the events per fragment (a 200,000-event replay went from 263,000 to 37,000 events/s, etcd's CPU from
     * 2.5 to 28 µs per event). Switched on for good once a response was too large for the client's inbound limit.
     */
    private boolean fragmented;
    private boolean closed;
    private int failures;
    private boolean healthy;
    private volatile long lastHeardNanos = System.nanoTime();
    private ScheduledFuture<?> probeTask;
    private boolean probing;
    private final java.util.concurrent.atomic.AtomicLong pauses;

    WatchStream(Transport transport, java.util.concurrent.atomic.AtomicLong pauses) {
        this.transport = transport;
        this.listener = transport.listener();
        this.pauses = pauses;
        Duration attempt = transport.config().attemptTimeout();
        this.probeAfter = attempt.compareTo(PROBE_AFTER_AT_MOST) < 0 ? attempt : PROBE_AFTER_AT_MOST;
    }

    /** Starts watching for {@code w}. */
    void add(WatcherCore w) {
        lock.lock();
        try {
            if (closed) {
                w.ended(new EtcdException("the client is closed; watches cannot start"));
                return;
            }
            if (w.isClosed()) {
                return; // closed before it could start (e.g. a subscription closed during its re-sync)
            }
            watchers.add(w);
            if (call != null) {
                sendCreateLocked(w);
            } else if (!connecting) {
                connectLocked(0);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops watching for {@code w} (user close or subscription re-sync). */
    void remove(WatcherCore w) {
        lock.lock();
        try {
            watchers.remove(w);
            if (w.watchId >= 0) {
                active.remove(w.watchId);
                sendCancelLocked(w.watchId);
                w.watchId = -1;
            }
            // A pending create stays queued; when its response arrives the watcher is closed and it is cancelled.
        } finally {
            lock.unlock();
        }
    }

    /** The consumer caught up: re-create a paused watcher from its next revision. */
    void resume(WatcherCore w) {
        lock.lock();
        try {
            if (!w.paused || w.isClosed() || !watchers.contains(w)) {
                return;
            }
            w.paused = false;
            if (call != null) {
                sendCreateLocked(w);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The member this stream is connected to, or null while it is not. */
    String endpoint() {
        lock.lock();
        try {
            return call != null && target != null ? target.endpoint().toString() : null;
        } finally {
            lock.unlock();
        }
    }

    /** The client's listener, or {@link EtcdListener#NONE}. */
    EtcdListener listener() {
        return listener;
    }

    int size() {
        lock.lock();
        try {
            return watchers.size();
        } finally {
            lock.unlock();
        }
    }

    private void sendCreateLocked(WatcherCore w) {
        w.creating = true;
        pendingCreates.add(w);
        call.sendMessage(WatchRequest.newBuilder().setCreateRequest(w.createRequest(fragmented)).build());
    }

    private void sendCancelLocked(long watchId) {
        if (call != null) {
            call.sendMessage(WatchRequest.newBuilder()
                    .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
        }
    }

    private void connectLocked(long delayNanos) {
        connecting = true;
        Runnable open = () -> transport.streamHeaders().whenComplete((headers, error) ->
                transport.callbackExecutor().execute(() -> open(headers, error)));
        if (delayNanos <= 0) {
            transport.callbackExecutor().execute(open);
        } else {
            transport.scheduler().schedule(() -> transport.callbackExecutor().execute(open), delayNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void open(Metadata headers, Throwable error) {
        lock.lock();
        try {
            if (closed) {
                connecting = false;
                return;
            }
            if (error != null) {
                failures++;
                EtcdException cause = asEtcd(Futures.unwrap(error));
                for (WatcherCore w : new ArrayList<>(watchers)) {
                    w.disconnected(cause);
                }
                connectLocked(backoffNanos());
                return;
            }
            target = transport.streamTarget(target);
            int gen = ++generation;
            fragments.clear();
            ClientCall<WatchRequest, WatchResponse> c = target.channel().newCall(WatchGrpc.getWatchMethod(),
                    CallOptions.DEFAULT);
            call = c;
            healthy = false;
            connecting = false;
            lastHeardNanos = System.nanoTime();
            c.start(new Listener(gen, headers), headers);
            c.request(1);
            for (WatcherCore w : watchers) {
                if (!w.paused && !w.isClosed()) {
                    sendCreateLocked(w);
                }
            }
            startProbeLocked();
        } finally {
            lock.unlock();
        }
    }

    private final class Listener extends ClientCall.Listener<WatchResponse> {
        private final int gen;
        private final Metadata headers;

        Listener(int gen, Metadata headers) {
            this.gen = gen;
            this.headers = headers;
        }

        @Override
        public void onMessage(WatchResponse response) {
            lastHeardNanos = System.nanoTime();
            lock.lock();
            try {
                if (gen != generation || closed) {
                    return; // an old stream's, or one cancelled by close()
                }
                if (failures != 0 || !healthy) {
                    failures = 0;
                    if (!healthy) {
                        healthy = true;
                        if (listener != EtcdListener.NONE) {
                            listener.watchStreamConnected(target.endpoint().toString());
                        }
                    }
                    target.succeeded(); // the member answers again: stop avoiding it
                }
                handleLocked(response);
                if (call != null) {
                    call.request(1);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            lock.lock();
            try {
                if (gen != generation || closed) {
                    return;
                }
                failedLocked(status, headers);
            } finally {
                lock.unlock();
            }
        }
    }

    private void handleLocked(WatchResponse r) {
        long id = r.getWatchId();
        long revision = r.getHeader().getRevision();
        if (r.getCreated()) {
            WatcherCore w = pendingCreates.poll();
            if (w == null) {
                LOG.warn("etcd confirmed watch {} that this client did not ask for; ignoring", id);
                return;
            }
            w.creating = false;
            if (r.getCanceled()) {
                watchers.remove(w);
                if (r.getCompactRevision() > 0) {
                    w.compacted(r.getCompactRevision());
                } else {
                    w.ended(refused(r.getCancelReason()));
                }
                return;
            }
            if (w.isClosed() || !watchers.contains(w)) {
                sendCancelLocked(id);
                return;
            }
            w.watchId = id;
            active.put(id, w);
            w.created(revision, target.endpoint().toString());
            return;
        }
        if (r.getCanceled() || r.getCompactRevision() > 0) {
            fragments.remove(id);
            WatcherCore w = active.remove(id);
            if (w == null) {
                return; // cancelled by us (close or pause)
            }
            w.watchId = -1;
            watchers.remove(w);
            if (r.getCompactRevision() > 0) {
                w.compacted(r.getCompactRevision());
            } else {
                w.ended(refused(r.getCancelReason()));
            }
            return;
        }
        if (id == -1) {
            // A progress notification for the whole stream (answer to a progress request).
            for (WatcherCore w : active.values()) {
                w.progress(revision, true);
            }
            return;
        }
        WatcherCore w = active.get(id);
        if (w == null) {
            fragments.remove(id);
            return; // a watch we are cancelling
        }
        List<Event> events = fragmented ? joinedEvents(id, r) : r.getEventsList();
        if (events == null) {
            return; // more fragments of this response follow
        }
        if (events.isEmpty()) {
            w.progress(revision, true);
            return;
        }
        boolean full = w.deliver(events);
        if (full && !w.paused) {
            // The consumer is behind: stop the server-side watch; resume from the next revision later.
            w.paused = true;
            pauses.incrementAndGet();
            active.remove(id);
            w.watchId = -1;
            sendCancelLocked(id);
            // The consumer may have drained the buffer between deliver() and the line above: its "drained" signal
            // then saw paused == false and resumed nothing, and no further event will signal again. Check after
            // publishing paused (volatile): either that signal sees it and resumes, or this check sees the drain.
            if (w.delivery().size() <= w.delivery().capacity() / 2) {
                w.paused = false;
                if (call != null) {
                    sendCreateLocked(w);
                }
            }
        }
    }

    /**
     * The events of {@code r} joined with its earlier fragments; null while more fragments follow (they are held
     * until the last one, so a revision is never delivered in part).
     */
    private List<Event> joinedEvents(long id, WatchResponse r) {
        List<Event> earlier = fragments.remove(id);
        if (isFragment(r)) {
            List<Event> held = earlier != null ? earlier : new ArrayList<>();
            held.addAll(r.getEventsList());
            fragments.put(id, held);
            return null;
        }
        if (earlier == null) {
            return r.getEventsList();
        }
        earlier.addAll(r.getEventsList());
        return earlier;
    }

    /** {@code WatchResponse.fragment} (field 7, absent from the 0.8.5 stubs): more of this response follows. */
    static boolean isFragment(WatchResponse r) {
        UnknownFieldSet.Field f = r.getUnknownFields().getField(RESPONSE_FRAGMENT_FIELD);
        return f != null && f.getVarintList().contains(1L);
    }

    private static EtcdException refused(String reason) {
        String r = reason == null || reason.isEmpty() ? "no reason given" : reason;
        if (r.contains("permission denied")) {
            return new PermissionDeniedException("etcd refused the watch: " + r + ". Grant the user read "
                    + "permission on the watched keys");
        }
        return new EtcdException("etcd refused or ended the watch: " + r);
    }

    private void failedLocked(Status status, Metadata headers) {
        call = null;
        stopProbeLocked();
        String d = status.getDescription() == null ? "" : status.getDescription();
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && !fragmented) {
            fragmented = true;
            LOG.info("a watch response on {} was larger than the client's inbound limit; this stream's watches "
                    + "now ask etcd for fragmented responses", target == null ? "?" : target.endpoint());
        }
        if (status.getCode() == Status.Code.UNAUTHENTICATED || d.contains("invalid auth token")) {
            transport.tokenRejected(headers);
        } else if (target != null) {
            target.failed(status);
        }
        EtcdException cause = ErrorMapper.toException(status, "watch stream", target == null ? null
                : target.endpoint());
        disconnectedLocked(cause.getMessage());
        for (WatcherCore w : active.values()) {
            w.watchId = -1;
        }
        active.clear();
        fragments.clear();
        for (WatcherCore w : pendingCreates) {
            w.creating = false;
        }
        pendingCreates.clear();
        for (WatcherCore w : new ArrayList<>(watchers)) {
            w.disconnected(cause);
        }
        failures++;
        if (watchers.isEmpty()) {
            return; // reconnect lazily when a watcher is added
        }
        connectLocked(backoffNanos());
    }

    /** Tells the listener that a connected stream is gone (once per connection). */
    private void disconnectedLocked(String reason) {
        if (healthy) {
            healthy = false;
            if (listener != EtcdListener.NONE && target != null) {
                listener.watchStreamDisconnected(target.endpoint().toString(), reason);
            }
        }
    }

    private long backoffNanos() {
        return failures <= 1 ? 0 : Backoff.WATCH_REOPEN.delayNanos(failures - 1); // the first reconnect at once
    }

    /**
     * A paused member keeps the TCP connection open and simply stops answering, so silence alone cannot be told
     * from a quiet key space. When the stream has been silent for 1 s (or the attempt timeout when shorter), ask
     * the same member for its status; no answer within as long means the member is gone, and the stream moves.
     * A frozen member is thus left within about 2.25 s (1 s silence, up to 250 ms until the next check, 1 s
     * probe deadline).
     */
    private void startProbeLocked() {
        stopProbeLocked();
        probeTask = transport.scheduler().scheduleWithFixedDelay(this::probe, PROBE_CHECK_NANOS, PROBE_CHECK_NANOS,
                TimeUnit.NANOSECONDS);
    }

    private void stopProbeLocked() {
        if (probeTask != null) {
            probeTask.cancel(false);
            probeTask = null;
        }
    }

    private void probe() {
        final int gen;
        final Transport.StreamTarget t;
        lock.lock();
        try {
            if (call == null || probing || closed || watchers.isEmpty()
                    || System.nanoTime() - lastHeardNanos < probeAfter.toNanos()) {
                return;
            }
            probing = true;
            gen = generation;
            t = target;
        } finally {
            lock.unlock();
        }
        transport.callOn(t.endpoint(), MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(),
                CallKind.READ, probeAfter, () -> "watch stream health probe").whenComplete((r, e) -> {
                    lock.lock();
                    try {
                        probing = false;
                        if (e == null) {
                            lastHeardNanos = System.nanoTime();
                            return;
                        }
                        if (gen != generation || call == null) {
                            return;
                        }
                        LOG.info("watch stream member {} did not answer a probe ({}); moving the stream",
                                t.endpoint(), Futures.unwrap(e).getMessage());
                        ClientCall<WatchRequest, WatchResponse> c = call;
                        generation++; // ignore whatever the old call still says
                        failedLocked(Status.UNAVAILABLE.withDescription("member " + t.endpoint()
                                + " stopped answering").withCause(Futures.unwrap(e)), new Metadata());
                        c.cancel("member stopped answering", null);
                    } finally {
                        lock.unlock();
                    }
                });
    }

    /** Ends every watcher and the stream. */
    void close() {
        List<WatcherCore> ending;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopProbeLocked();
            ending = new ArrayList<>(watchers);
            watchers.clear();
            active.clear();
            fragments.clear();
            pendingCreates.clear();
            if (call != null) {
                call.cancel("client closed", null);
                call = null;
                disconnectedLocked("the client was closed");
            }
        } finally {
            lock.unlock();
        }
        for (WatcherCore w : ending) {
            w.ended(new EtcdException("the client was closed"));
        }
    }

    private static EtcdException asEtcd(Throwable t) {
        return t instanceof EtcdException e ? e : new EtcdException("watch stream setup failed: " + t, t);
    }
}
