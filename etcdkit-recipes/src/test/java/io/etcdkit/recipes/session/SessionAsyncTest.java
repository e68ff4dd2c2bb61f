package io.etcdkit.recipes.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.kv.Put;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.HeldExecutor;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Session#openAsync}, {@link Session#adoptAsync} and {@link Session#closeAsync} against a real member. */
class SessionAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void openAsyncCompletesOnTheCallbackExecutorWithALiveLeaseAndCloseAsyncRevokesIt() throws Exception {
        try (CallbackThreadClient callbacks = CallbackThreadClient.open(ETCD, "session-async-callback")) {
            EtcdClient client = callbacks.client();
            HeldExecutor held = HeldExecutor.hold(callbacks.executor()); // completions queue behind it
            CompletableFuture<String> completedOn = Session.openAsync(client, Duration.ofSeconds(10))
                    .thenApply(s -> {
                        s.closeAsync(); // never block the callback executor
                        return Thread.currentThread().getName();
                    });
            held.release();
            String thread = completedOn.get(20, TimeUnit.SECONDS);
            assertThat(thread).isEqualTo("session-async-callback");
            Session s = Session.openAsync(client, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
            assertThat(s.state()).isEqualTo(SessionState.CONNECTED);
            assertThat(client.leases().timeToLive(s.leaseId()).remaining().toSeconds()).isBetween(1L, 10L);
            client.kv().put(Put.of("sess-async/k", "v").lease(s.leaseId()));
            s.closeAsync().get(20, TimeUnit.SECONDS);
            assertThat(s.state()).isEqualTo(SessionState.CLOSED);
            assertThat(client.kv().exists("sess-async/k")).isFalse();
            assertThat(client.leases().list()).doesNotContain(s.leaseId());
            s.closeAsync().get(5, TimeUnit.SECONDS); // idempotent
        }
    }

    @Test
    void adoptAsyncKeepsAnExistingLeaseAndAnUnknownLeaseFailsTyped() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            long id = client.leases().grant(Duration.ofSeconds(10)).id();
            try (Session s = Session.adoptAsync(client, id).get(20, TimeUnit.SECONDS)) {
                assertThat(s.leaseId()).isEqualTo(id);
                assertThat(s.isConnected()).isTrue();
            }
            assertThat(Session.adoptAsync(client, 0x7a7a7a7aL)).failsWithin(Duration.ofSeconds(20))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(LeaseNotFoundException.class);
        }
    }

    @Test
    void openAsyncAgainstNoClusterFailsWithTheTypedError() {
        try (EtcdClient client = EtcdClient.builder().endpoints(List.of("http://127.0.0.1:1"))
                .connectTimeout(Duration.ofMillis(500)).deadline(Duration.ofSeconds(2)).build()) {
            assertThat(Session.openAsync(client)).failsWithin(Duration.ofSeconds(20))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(EtcdUnavailableException.class);
        }
    }
}
