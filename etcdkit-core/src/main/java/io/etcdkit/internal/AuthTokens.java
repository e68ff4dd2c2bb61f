package io.etcdkit.internal;

import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthenticateRequest;
import io.etcd.jetcd.api.AuthenticateResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The auth token for user/password authentication: fetched once on first use, shared by all calls, and
 * fetched again when a member says it is invalid or expired (etcd's simple tokens expire after five idle
 * minutes; JWT tokens at their expiry). A failed fetch fails the calls waiting for it; the next call tries
 * again. When the cluster has authentication disabled, the token is null (calls go without one) and is not
 * kept, so each call asks again until authentication is enabled.
 */
final class AuthTokens {
    private final Transport transport;
    private final String user;
    private final String password;
    private final AtomicReference<CompletableFuture<String>> current = new AtomicReference<>();

    AuthTokens(Transport transport, String user, String password) {
        this.transport = transport;
        this.user = user;
        this.password = password;
    }

    CompletableFuture<String> token() {
        while (true) {
            CompletableFuture<String> f = current.get();
            if (f != null && !f.isCompletedExceptionally()) {
                return f;
            }
            CompletableFuture<String> fresh = new CompletableFuture<>();
            if (current.compareAndSet(f, fresh)) {
                fetch(fresh);
                return fresh;
            }
        }
    }

    /** Forgets {@code used} so the next call fetches a new token (unless another call already did). */
    void invalidate(String used) {
        CompletableFuture<String> f = current.get();
        if (f != null && f.isDone() && !f.isCompletedExceptionally() && f.join().equals(used)) {
            current.compareAndSet(f, null);
        }
    }

    private void fetch(CompletableFuture<String> target) {
        AuthenticateRequest request = AuthenticateRequest.newBuilder().setName(user).setPassword(password).build();
        CompletableFuture<AuthenticateResponse> response = transport.call(AuthGrpc.getAuthenticateMethod(), request,
                CallKind.IDEMPOTENT_WRITE, transport.config().deadline(),
                () -> "authenticate as user '" + user + "'", null, false);
        response.whenComplete((r, e) -> {
            if (e != null) {
                Throwable c = Futures.unwrap(e);
                if (String.valueOf(c.getMessage()).contains("etcdserver: authentication is not enabled")) {
                    // Auth is off (e.g. just disabled): calls go without a token, and the next call asks again,
                    // so a client keeps working while auth is off and gets a token as soon as it is back on.
                    current.compareAndSet(target, null);
                    target.complete(null);
                    return;
                }
                target.completeExceptionally(c);
            } else {
                target.complete(r.getToken());
            }
        });
    }
}
