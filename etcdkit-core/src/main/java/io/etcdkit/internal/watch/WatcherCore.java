package io.etcdkit.internal.watch;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcdkit.EtcdException;
import io.etcdkit.internal.Namespace;
import io.etcdkit.internal.kv.KvProtos;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.ProgressEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One watcher's place in the stream of changes: the next revision it needs, whether its server-side watch is
 * running, paused for a slow consumer, or ended, and where its events go.
 *
 * <p>State changes happen under the owning {@link WatchStream}'s lock; {@link #nextRevision} is volatile so it can
 * be read anywhere. Events are handed to a {@link Delivery} in revision order.
 */
final class WatcherCore implements Watcher {
    /** {@code WatchCreateRequest.fragment}: the field number, absent from the 0.8.5 stubs. */
    static final int CREATE_FRAGMENT_FIELD = 8;
    private final WatchStream stream;
    private final Watch spec;
    private final Namespace ns;
    private final KvProtos protos;
    private final Delivery delivery;
    /** A subscription's hooks, or null for a plain watcher. */
    private final SubscriptionHooks hooks;
    /** Reports the end of the watcher the application sees (this one, or the subscription it serves). */
    private final WatcherLifetime lifetime;

    private volatile long nextRevision;
    private volatile boolean closed;
    // Guarded by the stream's lock:
    long watchId = -1;
    /** Written under the stream's lock; volatile because {@link #drained()} reads it on the consumer's thread. */
    volatile boolean paused;
    boolean creating;
    boolean disconnected;
    boolean confirmed;

    WatcherCore(WatchStream stream, Watch spec, Namespace ns, Delivery delivery, SubscriptionHooks hooks,
            WatcherLifetime lifetime) {
        this.stream = stream;
        this.lifetime = lifetime;
        this.spec = spec;
        this.ns = ns;
        this.protos = new KvProtos(ns);
        this.delivery = delivery;
        this.hooks = hooks;
        this.nextRevision = spec.startRevision();
        if (hooks == null) {
            delivery.setOnDrained(this::drained);
        }
    }

    WatchStream stream() {
        return stream;
    }

    Watch spec() {
        return spec;
    }

    Delivery delivery() {
        return delivery;
    }

    /**
     * The create request that starts (or resumes) this watcher at its next revision; with {@code fragment}, etcd
     * splits a response larger than its request limit into fragments.
     */
    WatchCreateRequest createRequest(boolean fragment) {
        WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder()
                .setKey(ns.rangeStart(spec.range().key(), spec.range().end().orElse(null)))
                .setStartRevision(nextRevision)
                .setPrevKv(spec.previousValues())
                .setProgressNotify(spec.progressNotifications());
        if (spec.range().end().isPresent()) {
            b.setRangeEnd(ns.rangeEnd(spec.range().end().get()));
        }
        if (!spec.includesPuts()) {
            b.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (!spec.includesDeletes()) {
            b.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        if (fragment) {
            // fragment = true (field 8, missing from the stubs): etcd splits a response larger than its request
            // limit into fragments that each fit, instead of one message over the client's inbound limit
            // (WatchStream joins them again).
            b.setUnknownFields(UnknownFieldSet.newBuilder().addField(CREATE_FRAGMENT_FIELD,
                    UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build());
        }
        return b.build();
    }

    /** The server confirmed the watch; {@code headerRevision} is the store's revision at creation. */
    void created(long headerRevision, String endpoint) {
        if (nextRevision == 0) {
            nextRevision = headerRevision + 1;
        }
        if (!confirmed) {
            confirmed = true;
            if (hooks == null) {
                delivery.offer(new ConnectedEvent(nextRevision, endpoint));
            }
        }
        if (disconnected) {
            disconnected = false;
            delivery.offer(new ResumedEvent(nextRevision, endpoint));
        }
    }

    /**
     * Hands a response's events to the consumer and advances the next revision. Returns true when the consumer's
     * buffer is full, so the server-side watch should pause.
     */
    boolean deliver(List<Event> events) {
        List<WatchEvent> out = new ArrayList<>(events.size());
        long last = 0;
        for (Event e : events) {
            io.etcd.jetcd.api.KeyValue kv = e.getKv();
            Optional<io.etcdkit.KeyValue> prev = e.hasPrevKv() ? Optional.of(protos.keyValue(e.getPrevKv()))
                    : Optional.empty();
            if (e.getType() == Event.EventType.DELETE) {
                out.add(new DeleteEvent(ns.strip(kv.getKey()), kv.getModRevision(), prev));
            } else {
                io.etcdkit.KeyValue now = protos.keyValue(kv);
                if (hooks != null && hooks.keysOnly()) {
                    now = new io.etcdkit.KeyValue(now.key(), io.etcdkit.Bytes.EMPTY, now.createRevision(),
                            now.modRevision(), now.version(), now.lease());
                }
                out.add(new PutEvent(now, prev));
            }
            last = kv.getModRevision();
        }
        if (last >= nextRevision) {
            nextRevision = last + 1;
        }
        if (hooks != null) {
            hooks.observe(out);
        }
        int size = delivery.offer(out);
        return size >= delivery.capacity();
    }

    /** Everything up to {@code revision} has been delivered. */
    void progress(long revision, boolean emit) {
        if (revision + 1 > nextRevision) {
            nextRevision = revision + 1;
        }
        if (emit && spec.progressNotifications()) {
            delivery.offer(new ProgressEvent(revision));
        }
    }

    /** The stream broke; announce it once per outage. */
    void disconnected(EtcdException cause) {
        if (!disconnected && !closed) {
            disconnected = true;
            delivery.offer(new DisconnectedEvent(cause));
        }
    }

    /** The revisions needed were compacted away: the last event of a plain watcher. */
    void compacted(long compactRevision) {
        long requested = nextRevision;
        closed = true;
        EtcdListener listener = stream.listener();
        if (listener != EtcdListener.NONE) {
            listener.watchCompacted(compactRevision);
        }
        if (hooks != null) {
            hooks.compacted(compactRevision);
        } else {
            delivery.offer(new CompactedEvent(compactRevision, requested));
            lifetime.closed();
        }
    }

    /** The watch ended for good (refused by the server, or the client closed). */
    void ended(EtcdException cause) {
        if (!closed) {
            closed = true;
            if (hooks != null) {
                hooks.ended();
            }
            delivery.offer(new EndedEvent(cause));
            lifetime.closed();
        }
    }

    /** The consumer has caught up: resume a paused server-side watch. */
    void drained() {
        if (paused && !closed) {
            stream.resume(this);
        }
    }

    @Override
    public long nextRevision() {
        return nextRevision;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Marks closed without telling the stream (the owner does). */
    void markClosed() {
        closed = true;
    }

    /** Stops the server-side watch but keeps the delivery (the application or its subscription closed it). */
    void cancel() {
        if (!closed) {
            closed = true;
            stream.remove(this);
        }
        lifetime.closed();
    }

    @Override
    public void close() {
        cancel();
        delivery.stop();
    }
}
