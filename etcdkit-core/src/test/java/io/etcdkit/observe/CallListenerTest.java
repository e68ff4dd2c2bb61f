package io.etcdkit.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener SPI sees every unary call with its name, member and outcome; a throwing listener breaks nothing. */
class CallListenerTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** One recorded call: what started and how it ended. */
    record Seen(CallInfo call, String member, CallOutcome outcome, long nanos, Throwable error) {
    }

    static final class Recording implements EtcdListener {
        final List<Seen> ended = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CallListener callStarted(CallInfo call) {
            return new CallListener() {
                @Override
                public void attemptFailed(String member, CallOutcome outcome) {
                    attempts.add(call.fullName() + " " + outcome);
                }

                @Override
                public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
                    ended.add(new Seen(call, member, outcome, durationNanos, error));
                }
            };
        }
    }

    @Test
    void successfulCallsAreReportedWithNameMemberAndDuration() {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build()) {
            client.kv().put("listener/a", "1");
            client.kv().get("listener/a");
            assertThat(client.listener()).isNotSameAs(EtcdListener.NONE);
        }
        assertThat(rec.ended).extracting(s -> s.call().fullName()).containsExactly("KV/Put", "KV/Range");
        assertThat(rec.ended).extracting(s -> s.call().write()).containsExactly(true, false);
        assertThat(rec.ended).allSatisfy(s -> {
            assertThat(s.outcome()).isEqualTo(CallOutcome.OK);
            assertThat(s.member()).isEqualTo(ETCD.clientEndpoints().get(0));
            assertThat(s.nanos()).isPositive();
            assertThat(s.error()).isNull();
        });
    }

    @Test
    void refusedCallIsReportedWithTheCallersError() {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(rec).build()) {
            long rev = client.kv().put("listener/b", "1").revision();
            client.kv().put("listener/b", "2");
            client.maintenance().compact(rev + 1, false);
            assertThatThrownBy(() -> client.kv().range(io.etcdkit.kv.Range.key("listener/b").atRevision(rev)))
                    .isInstanceOf(io.etcdkit.EtcdException.class);
        }
        Seen last = rec.ended.get(rec.ended.size() - 1);
        assertThat(last.call().fullName()).isEqualTo("KV/Range");
        assertThat(last.outcome()).isEqualTo(CallOutcome.REFUSED);
        assertThat(last.error()).isInstanceOf(io.etcdkit.CompactedException.class);
    }

    @Test
    void unreachableClusterIsReportedAsUnavailableAfterRetries() {
        Recording rec = new Recording();
        try (EtcdClient client = EtcdClient.builder().endpoints("http://127.0.0.1:1")
                .connectTimeout(Duration.ofSeconds(2)).listener(rec).build()) {
            assertThatThrownBy(() -> client.kv().get("x")).isInstanceOf(EtcdUnavailableException.class);
        }
        assertThat(rec.ended).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(CallOutcome.UNAVAILABLE);
            assertThat(s.error()).isInstanceOf(EtcdUnavailableException.class);
        });
        assertThat(rec.attempts).isNotEmpty().allMatch(a -> a.equals("KV/Range UNAVAILABLE"));
    }

    @Test
    void aThrowingListenerBreaksNoCallAndOthersStillHear() {
        Recording rec = new Recording();
        EtcdListener broken = new EtcdListener() {
            @Override
            public CallListener callStarted(CallInfo call) {
                throw new IllegalStateException("broken listener");
            }
        };
        EtcdListener brokenEnd = new EtcdListener() {
            @Override
            public CallListener callStarted(CallInfo call) {
                return new CallListener() {
                    @Override
                    public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
                        throw new IllegalStateException("broken end");
                    }
                };
            }
        };
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .listener(broken).listener(brokenEnd).listener(rec).build()) {
            assertThat(client.kv().put("listener/c", "1").revision()).isPositive();
            assertThat(client.kv().get("listener/c")).isPresent();
        }
        assertThat(rec.ended).hasSize(2);
    }

    @Test
    void withoutListenersTheClientReportsNone() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.listener()).isSameAs(EtcdListener.NONE);
            assertThat(client.withNamespace("ns/").listener()).isSameAs(EtcdListener.NONE);
        }
    }
}
