package io.etcdkit.internal;

import io.etcdkit.EtcdException;
import com.google.protobuf.MessageLite;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.internal.observe.CallNames;
import io.etcdkit.internal.observe.Outcomes;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.etcdkit.observe.EtcdListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One unary call with its retries, all within one deadline.
 *
 * <p>Each attempt goes to a member chosen by the pool (or to the pinned member). A failed attempt is retried
 * only when {@link FailureClassifier} says it may be: a read on any transient failure, a write only when the
 * server refused it before applying anything or the request never left this client. A write that may have been
 * applied fails with {@link io.etcdkit.OutcomeUnknownException}. Writes go to the leader when {@link LeaderTracker}
 * knows it, and wait while it looks for a new one. When other members exist, one attempt waits at
 * most the attempt timeout, so a paused member cannot hold a read for the whole deadline. Results are completed
 * on the callback executor, never on a transport thread.
 */
final class RetryingCall<Req, Resp> {
    private final Transport transport;
    private final MethodDescriptor<Req, Resp> method;
    private final Req request;
    private final CallKind kind;
    private final long startNanos;
    private final long deadlineNanos;
    private final Supplier<String> operation;
    private final Member pinned;
    private final boolean withToken;
    final CompletableFuture<Resp> result = new CompletableFuture<>();
    private final CallListener callListener;

    private int retries;
    private int tokenRefreshes;
    private boolean onlyConnectFailures = true;
    private Member lastMember;
    private boolean avoidLast;
    private boolean waitedForLeader;

    RetryingCall(Transport transport, MethodDescriptor<Req, Resp> method, Req request, CallKind kind,
            long deadlineNanos, Supplier<String> operation, Member pinned, boolean withToken) {
        this.transport = transport;
        this.method = method;
        this.request = request;
        this.kind = kind;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = deadlineNanos;
        this.operation = operation;
        this.pinned = pinned;
        this.withToken = withToken;
        EtcdListener listener = transport.listener();
        this.callListener = listener == EtcdListener.NONE ? CallListener.NONE
                : listener.callStarted(
                        CallNames.of(method, kind == CallKind.WRITE || kind == CallKind.IDEMPOTENT_WRITE));
    }

    void start() {
        if (request instanceof MessageLite m) {
            int size = m.getSerializedSize(); // memoized: serialization reuses it
            int limit = transport.config().maxOutboundMessageSize();
            if (size > limit) {
                fail(new RequestTooLargeException(operation.get() + " was not sent: the request is " + size
                        + " bytes, over the client's maxOutboundMessageSize of " + limit + " bytes. Store smaller "
                        + "values or split the batch, or raise the limit (and etcd's --max-request-bytes)"));
                return;
            }
        }
        attempt();
    }

    private void attempt() {
        try {
            if (System.nanoTime() - deadlineNanos >= 0) {
                fail(ErrorMapper.toException(Status.DEADLINE_EXCEEDED.withDescription(
                        "deadline passed before an attempt could be made"), operation.get(), lastMember));
                return;
            }
            AuthTokens tokens = withToken ? transport.authTokens() : null;
            if (tokens == null) {
                send(null);
                return;
            }
            CompletableFuture<String> token = tokens.token();
            if (token.isDone()) {
                sendWithToken(token);
            } else {
                token.whenComplete((t, e) -> transport.callbackExecutor().execute(() -> sendWithToken(token)));
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void sendWithToken(CompletableFuture<String> token) {
        String t;
        try {
            t = token.join();
        } catch (RuntimeException e) {
            fail(Futures.unwrap(e));
            return;
        }
        send(t);
    }

    private void send(String token) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            fail(ErrorMapper.toException(Status.DEADLINE_EXCEEDED, operation.get(), lastMember));
            return;
        }
        MemberPool pool = transport.pool();
        LeaderTracker leaders = transport.leaders();
        Member member = null;
        boolean toLeader = false;
        if (pinned == null && kind != CallKind.LOCAL_READ) {
            CompletableFuture<Void> election = leaders.election();
            if (election != null && !waitedForLeader) {
                // The leader was lost: a follower would forward this write (or its read index) to it and hang;
                // wait until a new one is known, once per call and at most the tracker's cap, so a tracker that
                // cannot find the leader never holds a call for its whole deadline.
                waitedForLeader = true;
                election.copy().completeOnTimeout(null, Math.min(remaining, LeaderTracker.ELECTION_CAP_NANOS),
                        TimeUnit.NANOSECONDS)
                        .whenComplete((v, e) -> transport.callbackExecutor().execute(() -> send(token)));
                return;
            }
        }
        if (pinned == null && kind.prefersLeader()) {
            Member leader = leaders.leaderForWrite(System.nanoTime());
            if (leader != null && !(avoidLast && lastMember == leader)) {
                member = leader;
                toLeader = true;
            }
        }
        if (member != null) {
            member.prepareForUse();
        } else if (pinned != null) {
            member = pinned;
        } else if (avoidLast && lastMember != null) {
            member = pool.pickOtherThan(lastMember);
        } else {
            member = pool.pick();
        }
        long attemptNanos = pinned == null && pool.size() > 1
                ? Math.min(remaining, transport.config().attemptTimeout().toNanos()) : remaining;
        SentTracker sent = new SentTracker();
        CallOptions options = CallOptions.DEFAULT
                .withDeadlineAfter(attemptNanos, TimeUnit.NANOSECONDS)
                .withStreamTracerFactory(sent)
                .withMaxOutboundMessageSize(transport.config().maxOutboundMessageSize());
        ClientCall<Req, Resp> call = member.channel.newCall(method, options);
        if (toLeader) {
            leaders.writeSent(call, member); // before start: the listener's onClose may run before start returns
        }
        try {
            call.start(new Listener(member, sent, token, toLeader ? call : null),
                    Headers.of(token, kind != CallKind.LOCAL_READ));
        } catch (RuntimeException e) {
            if (toLeader) {
                leaders.writeEnded(call);
            }
            throw e;
        }
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
    }

    private final class Listener extends ClientCall.Listener<Resp> {
        private final Member member;
        private final SentTracker sent;
        private final String token;
        /** The call when it is a write sent to the leader (tracked until it ends), else null. */
        private final ClientCall<?, ?> onLeader;
        private Resp response;

        Listener(Member member, SentTracker sent, String token, ClientCall<?, ?> onLeader) {
            this.member = member;
            this.sent = sent;
            this.token = token;
            this.onLeader = onLeader;
        }

        @Override
        public void onMessage(Resp message) {
            response = message;
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (onLeader != null) {
                transport.leaders().writeEnded(onLeader);
            }
            if (status.isOk()) {
                if (response == null) {
                    fail(ErrorMapper.toException(Status.INTERNAL.withDescription("the server sent no response"),
                            operation.get(), member));
                    return;
                }
                member.succeeded();
                if (callListener != CallListener.NONE) {
                    callListener.ended(member.toString(), CallOutcome.OK, System.nanoTime() - startNanos, null);
                }
                result.complete(response);
                return;
            }
            onFailure(member, status, sent.mayHaveReachedServer(), token);
        }
    }

    private void onFailure(Member member, Status status, boolean mayHaveReachedServer, String token) {
        lastMember = member;
        avoidLast = FailureClassifier.avoidMember(status);
        if (avoidLast) {
            member.failed(status);
        }
        if (pinned == null) {
            transport.leaders().attemptFailed(member, status);
        }
        if (mayHaveReachedServer || status.getCode() != Status.Code.UNAVAILABLE) {
            onlyConnectFailures = false;
        }
        RetryPolicy policy = FailureClassifier.retryPolicy(status, mayHaveReachedServer);
        switch (policy) {
            case REFRESH_TOKEN:
                if (withToken && transport.authTokens() != null && tokenRefreshes++ < 2) {
                    transport.authTokens().invalidate(token);
                    if (callListener != CallListener.NONE) {
                        callListener.attemptFailed(member.toString(), CallOutcome.REFUSED);
                    }
                    attempt();
                } else {
                    fail(ErrorMapper.toException(status, operation.get(), member));
                }
                return;
            case SAFE:
                retryOrFail(status, member);
                return;
            case READS_ONLY:
                if (kind.retriesWhenMaybeApplied()) {
                    retryOrFail(status, member);
                } else {
                    fail(ErrorMapper.outcomeUnknown(status, operation.get(), member));
                }
                return;
            default:
                if (!kind.retriesWhenMaybeApplied() && mayHaveReachedServer && isTransportFailure(status)) {
                    fail(ErrorMapper.outcomeUnknown(status, operation.get(), member));
                } else {
                    fail(ErrorMapper.toException(status, operation.get(), member));
                }
        }
    }

    /** A failure of the connection rather than an answer from etcd: the server may have applied the request. */
    private static boolean isTransportFailure(Status status) {
        switch (status.getCode()) {
            case INTERNAL:
            case UNKNOWN:
            case CANCELLED:
                return !FailureClassifier.description(status).startsWith("etcdserver:");
            default:
                return false;
        }
    }

    private void retryOrFail(Status status, Member member) {
        retries++;
        long delay = retries <= 1 ? 0 : Backoff.RETRY.delayNanos(retries - 1); // the first retry at once
        long now = System.nanoTime();
        long connectTimeout = transport.config().connectTimeout().toNanos();
        if (onlyConnectFailures && now + delay - startNanos > connectTimeout) {
            String tls = TlsFailures.explain(status);
            if (tls != null) {
                fail(new EtcdUnavailableException(operation.get() + " failed: could not connect to " + member
                        + ": " + tls, status.getCause()));
                return;
            }
            fail(new EtcdUnavailableException(operation.get() + " failed: could not connect to "
                    + (pinned != null ? "etcd member " + pinned : "any etcd member " + transport.config().endpoints())
                    + " within the connect timeout of "
                    + transport.config().connectTimeout().toMillis() + " ms (last error: " + describe(status)
                    + "). Check that etcd is running at those addresses and that they are reachable",
                    status.getCause()));
            return;
        }
        if (now + delay - deadlineNanos >= 0) {
            fail(ErrorMapper.toException(status, operation.get() + " (gave up after " + retries + " attempts, "
                    + "deadline reached)", member));
            return;
        }
        if (callListener != CallListener.NONE) {
            callListener.attemptFailed(member.toString(), status.getCode() == Status.Code.DEADLINE_EXCEEDED
                    ? CallOutcome.DEADLINE : CallOutcome.UNAVAILABLE);
        }
        if (delay == 0) {
            transport.callbackExecutor().execute(this::attempt);
        } else {
            transport.scheduler().schedule(() -> transport.callbackExecutor().execute(this::attempt),
                    delay, TimeUnit.NANOSECONDS);
        }
    }

    private static String describe(Status status) {
        String d = FailureClassifier.description(status);
        Throwable c = status.getCause();
        return status.getCode() + (d.isEmpty() ? "" : " " + d) + (c == null ? "" : " (" + c.getMessage() + ")");
    }

    private void fail(Throwable error) {
        Throwable e = error instanceof EtcdException ? error
                : new EtcdException(operation.get() + " failed: " + error, error);
        if (callListener != CallListener.NONE) {
            callListener.ended(lastMember == null ? null : lastMember.toString(), Outcomes.of(e),
                    System.nanoTime() - startNanos, e);
        }
        result.completeExceptionally(e);
    }
}
