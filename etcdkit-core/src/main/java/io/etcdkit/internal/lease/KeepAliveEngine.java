package io.etcdkit.internal.lease;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcdkit.EtcdException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.internal.Backoff;
import io.etcdkit.internal.ErrorMapper;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import io.etcdkit.lease.LeaseListener;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.observe.EtcdListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease engine: keeps every lease of one client alive over a single bidirectional keep-alive stream.
 *
 * <p><b>Timing.</b> For each lease the engine remembers when the last <em>answered</em> keep-alive was sent
 * ({@code confirmedSentAt}) and when its answer arrived ({@code confirmedAckAt}). etcd renewed the lease between
 * those two instants, so it lives at least until {@code confirmedSentAt + ttl} (the conservative deadline) and
 * surely no longer than {@code confirmedAckAt + ttl} unless renewed again (etcd only extends leases beyond that
 * across a leader change). A lease is
 * <ul>
 *   <li>renewed at {@code confirmedSentAt + ttl/3} (up to one tick early), with at most one unanswered
 *       keep-alive per lease on the current stream;</li>
 *   <li>{@code AT_RISK} from {@code confirmedSentAt + ttl - ttl/3} (the deadline less a safety margin of a
 *       third of the TTL) until a renewal is answered;</li>
 *   <li>{@code EXPIRED} at {@code confirmedAckAt + ttl} without a renewal, or at once when etcd answers TTL 0
 *       (it no longer knows the lease).</li>
 * </ul>
 *
 * <p><b>Stream.</b> Opened on a member chosen by {@link Transport#streamTarget} with
 * {@link Transport#streamHeaders} (auth token, require-leader) when there is a lease to keep, closed when there is
 * none. On open, every lease is renewed at once. The stream is treated as broken when it fails, or when
 * keep-alives are outstanding and no answer arrived for the stall timeout ({@code min TTL / 4}, between 0.5 and
 * 3 s): a paused member keeps its TCP connection open but answers nothing. A broken stream is cancelled and
 * reopened on another member, the first time at once, then after jittered exponential back-off (50 ms doubling
 * to 1 s) until a stream answers. A refused auth token is reported to the transport, which fetches a new one.
 *
 * <p><b>Threads.</b> All state is guarded by one lock. Timers run on the transport's scheduler (one pending tick
 * at a time, no more often than every {@value #GRANULARITY_MILLIS} ms); stream callbacks arrive on the callback
 * executor; listener notifications are queued under the lock and run after it is released, on the callback
 * executor. Memory is bounded by the number of kept leases.
 *
 * <p><b>Listener.</b> The client's listener hears every state change of a kept lease (not the state at
 * registration), including {@code CLOSED} when its last handle is closed, and {@code keepAliveFailed} each time
 * the stream breaks. It is called under the engine's lock, so it must return at once (the SPI's contract).
 */
final class KeepAliveEngine {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveEngine.class);
    static final long GRANULARITY_MILLIS = 50;
    private static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(GRANULARITY_MILLIS);
    private static final long MIN_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MAX_STALL_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final Transport transport;
    private final EtcdListener listener;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<Long, Entry> entries = new HashMap<>();
    /** Handles with queued notifications, started after the lock is released. Guarded by lock. */
    private final List<DefaultKeepAlive> kicks = new ArrayList<>();
    private boolean closed;
    private KeepAliveStream stream;
    private Transport.StreamTarget lastTarget;
    private int failures;
    private long reopenAtNanos;
    private long generation;
    private ScheduledFuture<?> tickFuture;
    private long tickAtNanos;
    private long streamsOpened;

    KeepAliveEngine(Transport transport) {
        this(transport, Ticker.SYSTEM);
    }

    KeepAliveEngine(Transport transport, Ticker ticker) {
        this.transport = transport;
        this.listener = transport == null ? EtcdListener.NONE : transport.listener(); // null in schedule tests
        this.ticker = ticker;
        this.reopenAtNanos = ticker.nanoTime();
    }

    /** The engine's clock: renewal instants given to {@link #register} must be read from it. */
    Ticker ticker() {
        return ticker;
    }

    /** One kept lease and the handles that keep it. */
    static final class Entry {
        final long id;
        final List<DefaultKeepAlive> handles = new ArrayList<>(1);
        volatile long ttlNanos;
        volatile long confirmedSentAt;
        volatile EtcdException lastError;
        long confirmedAckAt;
        long nextSendAt;
        long outstandingGen = -1;
        long outstandingSentAt;
        int revoking;
        LeaseState state = LeaseState.ALIVE;

        Entry(long id, long ttlNanos, long sentAt, long ackAt) {
            this.id = id;
            this.ttlNanos = ttlNanos;
            this.confirmedSentAt = sentAt;
            this.confirmedAckAt = ackAt;
            this.nextSendAt = sentAt + ttlNanos / 3;
        }

        long riskAt() {
            return confirmedSentAt + ttlNanos - ttlNanos / 3;
        }

        long expireAt() {
            return confirmedAckAt + ttlNanos;
        }

        /**
         * Moves the schedule to {@code now} and returns the state it gives: {@code EXPIRED} from
         * {@link #expireAt()} on, {@code AT_RISK} from {@link #riskAt()} on while {@code ALIVE}, otherwise the
         * state unchanged. Does not leave a terminal state.
         */
        LeaseState advance(long now) {
            if (state.isTerminal()) {
                return state;
            }
            if (now - expireAt() >= 0) {
                state = LeaseState.EXPIRED;
            } else if (state == LeaseState.ALIVE && now - riskAt() >= 0) {
                state = LeaseState.AT_RISK;
            }
            return state;
        }

        /**
         * A renewal sent at {@code sentAt} was answered at {@code ackAt} with {@code ttlNanos}: moves the deadlines
         * and brings an {@code AT_RISK} lease back to {@code ALIVE}. False (nothing changes) for an answer older
         * than the last one taken.
         */
        boolean confirm(long sentAt, long ackAt, long ttlNanos) {
            if (sentAt - confirmedSentAt < 0) {
                return false;
            }
            this.ttlNanos = ttlNanos;
            this.confirmedSentAt = sentAt;
            this.confirmedAckAt = Math.max(confirmedAckAt, ackAt);
            this.nextSendAt = sentAt + ttlNanos / 3;
            if (state == LeaseState.AT_RISK) {
                state = LeaseState.ALIVE;
            }
            return true;
        }
    }

    // ---- registration and handles -----------------------------------------------------------------------------

    /**
     * Starts keeping {@code h}'s lease alive after a renewal sent at {@code sentAt} was answered at {@code ackAt}
     * with {@code ttlNanos}. False when the engine is closed.
     */
    boolean register(DefaultKeepAlive h, long ttlNanos, long sentAt, long ackAt, LeaseListener listener) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            Entry e = entries.get(h.id());
            if (e == null) {
                e = new Entry(h.id(), ttlNanos, sentAt, ackAt);
                entries.put(h.id(), e);
            } else {
                confirmLocked(e, sentAt, ackAt, ttlNanos);
            }
            h.entry = e;
            e.handles.add(h);
            if (e.state != LeaseState.ALIVE) {
                h.transitionLocked(e.state, "the lease is " + e.state + " for this client");
            }
            if (listener != null) {
                h.addListenerLocked(listener);
            }
            kicks.add(h);
            scheduleTickLocked(ticker.nanoTime());
            return true;
        } finally {
            unlockAndKick();
        }
    }

    void addListener(DefaultKeepAlive h, LeaseListener l) {
        lock.lock();
        try {
            h.addListenerLocked(l);
            kicks.add(h);
        } finally {
            unlockAndKick();
        }
    }

    void removeListener(DefaultKeepAlive h, LeaseListener l) {
        lock.lock();
        try {
            h.removeListenerLocked(l);
        } finally {
            lock.unlock();
        }
    }

    /** Stops keeping the handle's lease alive for this handle (CLOSED); the lease is left as it is. */
    void closeHandle(DefaultKeepAlive h, String reason) {
        lock.lock();
        try {
            if (h.state().isTerminal()) {
                return;
            }
            if (h.transitionLocked(LeaseState.CLOSED, reason)) {
                kicks.add(h);
            }
            Entry e = h.entry;
            if (e != null) {
                e.handles.remove(h);
                if (e.handles.isEmpty() && entries.get(e.id) == e) {
                    entries.remove(e.id);
                    detachLocked(e);
                    enterStateLocked(e, LeaseState.CLOSED); // no handle keeps it alive any more
                    scheduleTickLocked(ticker.nanoTime()); // closes the stream when it was the last lease
                }
            }
        } finally {
            unlockAndKick();
        }
    }

    /** A revoke of {@code id} through this client starts ({@code +1}) or ends ({@code -1}). */
    void revoking(long id, int delta) {
        lock.lock();
        try {
            Entry e = entries.get(id);
            if (e != null) {
                e.revoking = Math.max(0, e.revoking + delta);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The lease was revoked through this client: its handles become REVOKED. */
    void revoked(long id) {
        lock.lock();
        try {
            Entry e = entries.remove(id);
            if (e != null) {
                detachLocked(e);
                terminateLocked(e, LeaseState.REVOKED, "the lease was revoked through this client");
            }
        } finally {
            unlockAndKick();
        }
    }

    /** A renewal made outside the stream (keepAliveOnce) also counts for the kept lease. */
    void renewedElsewhere(long id, long sentAt, long ackAt, long ttlNanos) {
        lock.lock();
        try {
            Entry e = entries.get(id);
            if (e != null) {
                confirmLocked(e, sentAt, ackAt, ttlNanos);
            }
        } finally {
            unlockAndKick();
        }
    }

    /** Stops the engine: the stream is closed and every handle becomes CLOSED. Nothing is revoked. */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (stream != null) {
                cancelLocked(stream, "the client was closed");
            }
            if (tickFuture != null) {
                tickFuture.cancel(false);
                tickFuture = null;
            }
            for (Entry e : entries.values()) {
                terminateLocked(e, LeaseState.CLOSED, "the client was closed; the lease was not revoked and "
                        + "expires on the server within its TTL unless kept alive elsewhere");
            }
            entries.clear();
        } finally {
            unlockAndKick();
        }
    }

    /** How many keep-alive streams were opened so far (diagnostics). */
    long streamsOpened() {
        lock.lock();
        try {
            return streamsOpened;
        } finally {
            lock.unlock();
        }
    }

    /** The member the keep-alive stream is on, or null when there is none (diagnostics). */
    String streamEndpoint() {
        lock.lock();
        try {
            return stream == null ? null : stream.target.endpoint().toString();
        } finally {
            lock.unlock();
        }
    }

    /** How many leases are kept alive (diagnostics). */
    int keptLeases() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- timers ---------------------------------------------------------------------------------------------

    private void tick() {
        lock.lock();
        try {
            tickFuture = null;
            if (closed) {
                return;
            }
            long now = ticker.nanoTime();
            if (entries.isEmpty()) {
                if (stream != null) {
                    cancelLocked(stream, "no lease left to keep alive");
                }
                failures = 0;
                return;
            }
            if (stream == null && now - reopenAtNanos >= 0) {
                openLocked();
            }
            KeepAliveStream s = stream;
            boolean ready = s != null && s.call != null;
            long minTtl = Long.MAX_VALUE;
            long next = Long.MAX_VALUE;
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
                Entry e = it.next();
                LeaseState before = e.state;
                LeaseState due = e.advance(now);
                if (due == LeaseState.EXPIRED) {
                    it.remove();
                    detachLocked(e);
                    terminateLocked(e, before, LeaseState.EXPIRED, "no keep-alive was answered for the lease's "
                            + "whole TTL ("
                            + TimeUnit.NANOSECONDS.toMillis(e.ttlNanos) + " ms) since the last answer, so the "
                            + "server has let it expire" + lastErrorText(e));
                    continue;
                }
                if (due == LeaseState.AT_RISK && before == LeaseState.ALIVE) {
                    setStateLocked(e, before, LeaseState.AT_RISK, "no keep-alive answered for "
                            + TimeUnit.NANOSECONDS.toMillis(now - e.confirmedSentAt) + " ms; the lease expires on "
                            + "the server within " + TimeUnit.NANOSECONDS.toMillis(e.expireAt() - now)
                            + " ms unless a keep-alive gets through" + lastErrorText(e));
                }
                if (ready && e.outstandingGen != s.gen) {
                    if (now + GRANULARITY_NANOS - e.nextSendAt >= 0) {
                        sendLocked(s, e, now);
                    } else {
                        next = Math.min(next, e.nextSendAt - GRANULARITY_NANOS);
                    }
                }
                minTtl = Math.min(minTtl, e.ttlNanos);
                next = Math.min(next, e.expireAt());
                if (e.state == LeaseState.ALIVE) {
                    next = Math.min(next, e.riskAt());
                }
            }
            if (entries.isEmpty()) {
                next = now; // close the stream on the next tick
            }
            if (ready && s.outstanding > 0) {
                long stall = minTtl == Long.MAX_VALUE ? MAX_STALL_NANOS
                        : Math.max(MIN_STALL_NANOS, Math.min(MAX_STALL_NANOS, minTtl / 4));
                if (now - s.progressAt > stall) {
                    failedLocked(s, new EtcdUnavailableException("no answer on the lease keep-alive stream from "
                            + s.target.endpoint() + " for " + TimeUnit.NANOSECONDS.toMillis(now - s.progressAt)
                            + " ms while " + s.outstanding + " keep-alives were outstanding (the member may be "
                            + "paused, overloaded or cut off from the leader); moving the stream to another "
                            + "member"), true);
                } else {
                    next = Math.min(next, s.progressAt + stall);
                }
            }
            if (stream == null) {
                next = Math.min(next, reopenAtNanos);
            }
            scheduleTickLocked(Math.max(next, now + GRANULARITY_NANOS));
        } catch (RuntimeException e) {
            LOG.error("lease keep-alive engine tick failed; retrying", e);
            scheduleTickLocked(ticker.nanoTime() + GRANULARITY_NANOS);
        } finally {
            unlockAndKick();
        }
    }

    private void scheduleTickLocked(long atNanos) {
        if (closed) {
            return;
        }
        if (tickFuture != null) {
            if (tickAtNanos - atNanos <= 0) {
                return;
            }
            tickFuture.cancel(false);
        }
        tickAtNanos = atNanos;
        try {
            tickFuture = transport.scheduler().schedule(this::tick, Math.max(0, atNanos - ticker.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            tickFuture = null; // the transport is closing
        }
    }

    // ---- the stream -----------------------------------------------------------------------------------------

    private void openLocked() {
        Transport.StreamTarget target = transport.streamTarget(lastTarget);
        lastTarget = target;
        KeepAliveStream s = new KeepAliveStream(++generation, target, ticker.nanoTime());
        stream = s;
        streamsOpened++;
        LOG.debug("opening lease keep-alive stream {} on {}", s.gen, target.endpoint());
        CompletableFuture<Metadata> headers;
        try {
            headers = transport.streamHeaders();
        } catch (RuntimeException e) {
            headers = CompletableFuture.failedFuture(e);
        }
        headers.whenComplete((h, err) -> execute(() -> onHeaders(s, h, err)));
    }

    private void onHeaders(KeepAliveStream s, Metadata headers, Throwable err) {
        lock.lock();
        try {
            if (stream != s || closed) {
                return;
            }
            if (err != null) {
                Throwable c = Futures.unwrap(err);
                failedLocked(s, c instanceof EtcdException ee ? ee
                        : new EtcdException("cannot open the lease keep-alive stream: " + c, c), false);
                return;
            }
            ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call =
                    s.target.channel().newCall(LeaseGrpc.getLeaseKeepAliveMethod(), CallOptions.DEFAULT);
            s.call = call;
            s.headers = headers;
            call.start(s, headers);
            call.request(Integer.MAX_VALUE);
            long now = ticker.nanoTime();
            s.progressAt = now;
            for (Entry e : entries.values()) {
                sendLocked(s, e, now);
            }
            scheduleTickLocked(now + GRANULARITY_NANOS);
        } catch (RuntimeException e) {
            failedLocked(s, new EtcdException("cannot open the lease keep-alive stream on " + s.target.endpoint()
                    + ": " + e, e), true);
        } finally {
            unlockAndKick();
        }
    }

    private void sendLocked(KeepAliveStream s, Entry e, long now) {
        try {
            s.call.sendMessage(LeaseKeepAliveRequest.newBuilder().setID(e.id).build());
        } catch (RuntimeException ex) {
            LOG.debug("keep-alive of lease {} not sent on stream {}", e.id, s.gen, ex);
            return;
        }
        if (s.outstanding == 0) {
            s.progressAt = now;
        }
        s.outstanding++;
        e.outstandingGen = s.gen;
        e.outstandingSentAt = now;
    }

    private void onAnswer(KeepAliveStream s, LeaseKeepAliveResponse resp) {
        lock.lock();
        try {
            if (stream != s || closed) {
                return;
            }
            long now = ticker.nanoTime();
            s.progressAt = now;
            if (s.outstanding > 0) {
                s.outstanding--;
            }
            if (!s.answered) {
                s.answered = true;
                s.target.succeeded();
                failures = 0;
            }
            long id = resp.getID();
            Integer orphan = s.orphans.get(id);
            if (orphan != null) {
                // The answer to a keep-alive sent for an earlier, since removed, registration of this lease.
                if (orphan <= 1) {
                    s.orphans.remove(id);
                } else {
                    s.orphans.put(id, orphan - 1);
                }
                return;
            }
            Entry e = entries.get(id);
            if (e == null) {
                return;
            }
            boolean matched = e.outstandingGen == s.gen;
            long sentAt = e.outstandingSentAt;
            if (matched) {
                e.outstandingGen = -1;
            }
            if (resp.getTTL() <= 0) {
                entries.remove(id);
                if (e.revoking > 0) {
                    terminateLocked(e, LeaseState.REVOKED, "the lease was revoked through this client");
                } else {
                    terminateLocked(e, LeaseState.EXPIRED, "etcd answered a keep-alive saying that the lease does "
                            + "not exist: it expired or was revoked by another client");
                }
                return;
            }
            if (matched) {
                confirmLocked(e, sentAt, now, TimeUnit.SECONDS.toNanos(resp.getTTL()));
            }
        } finally {
            unlockAndKick();
        }
    }

    private void onClosed(KeepAliveStream s, Status status) {
        lock.lock();
        try {
            if (stream != s || closed) {
                return;
            }
            String d = status.getDescription() == null ? "" : status.getDescription();
            boolean tokenRefused = (status.getCode() == Status.Code.UNAUTHENTICATED && d.contains("invalid auth token"))
                    || (status.getCode() == Status.Code.INVALID_ARGUMENT && d.contains("revision of auth store is old"));
            if (tokenRefused && s.headers != null) {
                transport.tokenRejected(s.headers);
            }
            EtcdException err = status.isOk()
                    ? new EtcdUnavailableException("the lease keep-alive stream on " + s.target.endpoint()
                            + " was closed by the server; reopening it")
                    : ErrorMapper.toException(status, "lease keep-alive stream", s.target.endpoint());
            failedLocked(s, err, !tokenRefused);
        } finally {
            unlockAndKick();
        }
    }

    /** The stream broke: cancel it, record the error, and reopen after back-off (the first time at once). */
    private void failedLocked(KeepAliveStream s, EtcdException error, boolean memberFault) {
        if (stream == s) {
            cancelLocked(s, "the keep-alive stream is being replaced");
        }
        if (memberFault) {
            s.target.failed(error);
        }
        if (listener != EtcdListener.NONE) {
            listener.keepAliveFailed(error.getMessage());
        }
        for (Entry e : entries.values()) {
            e.lastError = error;
        }
        failures++;
        long delay = backoffNanos(failures);
        reopenAtNanos = ticker.nanoTime() + delay;
        LOG.debug("lease keep-alive stream {} on {} failed ({} in a row); reopening in {} ms: {}", s.gen,
                s.target.endpoint(), failures, TimeUnit.NANOSECONDS.toMillis(delay), error.getMessage());
        scheduleTickLocked(reopenAtNanos);
    }

    private void cancelLocked(KeepAliveStream s, String why) {
        if (stream == s) {
            stream = null;
        }
        if (s.call != null) {
            try {
                s.call.cancel(why, null);
            } catch (RuntimeException e) {
                LOG.debug("cancelling keep-alive stream {} failed", s.gen, e);
            }
        }
    }

    static long backoffNanos(int failures) {
        return failures <= 1 ? 0 : Backoff.STREAM_REOPEN.delayNanos(failures - 1); // the first reopen at once
    }

    // ---- state changes --------------------------------------------------------------------------------------

    private void confirmLocked(Entry e, long sentAt, long ackAt, long ttlNanos) {
        LeaseState before = e.state;
        if (e.confirm(sentAt, ackAt, ttlNanos) && before == LeaseState.AT_RISK) {
            setStateLocked(e, before, LeaseState.ALIVE, "a keep-alive was answered; the lease is renewed for "
                    + TimeUnit.NANOSECONDS.toMillis(ttlNanos) + " ms");
        }
    }

    private void setStateLocked(Entry e, LeaseState to, String reason) {
        setStateLocked(e, e.state, to, reason);
    }

    /**
     * Like {@link #setStateLocked(Entry, LeaseState, String)} for an entry whose schedule ({@link Entry#advance},
     * {@link Entry#confirm}) has already moved its state: {@code from} is the state before that move.
     */
    private void setStateLocked(Entry e, LeaseState from, LeaseState to, String reason) {
        enterStateLocked(e, from, to);
        for (DefaultKeepAlive h : e.handles) {
            if (h.transitionLocked(to, reason)) {
                kicks.add(h);
            }
        }
    }

    /** Moves the entry to {@code to}, telling the listener when that is a change. */
    private void enterStateLocked(Entry e, LeaseState to) {
        enterStateLocked(e, e.state, to);
    }

    /** Moves the entry from {@code from} (its state before its schedule moved it, if it did) to {@code to}. */
    private void enterStateLocked(Entry e, LeaseState from, LeaseState to) {
        if (listener != EtcdListener.NONE && from != to && !from.isTerminal()) {
            listener.leaseStateChanged(e.id, from, to);
        }
        e.state = to;
    }

    /** Moves the entry's handles to a terminal state; the caller has removed it from the map. */
    private void terminateLocked(Entry e, LeaseState to, String reason) {
        terminateLocked(e, e.state, to, reason);
    }

    /** {@link #terminateLocked(Entry, LeaseState, String)} for an entry whose schedule already moved it. */
    private void terminateLocked(Entry e, LeaseState from, LeaseState to, String reason) {
        setStateLocked(e, from, to, reason);
        e.handles.clear();
    }

    /** The entry leaves the map: an answer still owed for it on the stream must not be taken for a successor's. */
    private void detachLocked(Entry e) {
        KeepAliveStream s = stream;
        if (s != null && e.outstandingGen == s.gen) {
            s.orphans.merge(e.id, 1, Integer::sum);
        }
        e.outstandingGen = -1;
    }

    private static String lastErrorText(Entry e) {
        EtcdException err = e.lastError;
        return err == null ? "" : " (last stream error: " + err.getMessage() + ")";
    }

    private void unlockAndKick() {
        List<DefaultKeepAlive> toKick;
        if (kicks.isEmpty()) {
            toKick = List.of();
        } else {
            toKick = new ArrayList<>(kicks);
            kicks.clear();
        }
        lock.unlock();
        for (DefaultKeepAlive h : toKick) {
            h.kick();
        }
    }

    private void execute(Runnable r) {
        try {
            transport.callbackExecutor().execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("callback executor shut down; dropping a keep-alive stream event");
        }
    }

    /** One keep-alive stream: its call, the member it is on, and its progress. */
    private final class KeepAliveStream extends ClientCall.Listener<LeaseKeepAliveResponse> {
        final long gen;
        final Transport.StreamTarget target;
        final Map<Long, Integer> orphans = new HashMap<>();
        ClientCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call;
        Metadata headers;
        /** Keep-alives sent on this stream and not yet answered. */
        int outstanding;
        /** The last answer, or when the wait for one began. */
        long progressAt;
        boolean answered;

        KeepAliveStream(long gen, Transport.StreamTarget target, long now) {
            this.gen = gen;
            this.target = target;
            this.progressAt = now;
        }

        @Override
        public void onMessage(LeaseKeepAliveResponse message) {
            onAnswer(this, message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            onClosed(this, status);
        }
    }
}
