package io.etcdkit.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.observe.RecordingListener;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A follower frozen with SIGSTOP for 10 s under a sequential writer and reader (put then linearizable get) with
 * default settings: writes go to the leader and never touch it; reads go round-robin, and after the one attempt
 * that detects it, the member gets no call until a probe finds it answering again, and then it is used again.
 */
class FrozenMemberTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @AfterEach
    void heal() {
        for (EtcdMember m : ETCD.cluster().members()) {
            if (m.isPaused()) {
                m.resume();
            }
        }
        ETCD.cluster().awaitLeader(Duration.ofSeconds(15));
    }

    /** One attempt of a put: when it ended, on which member, how. */
    record Attempt(long atNanos, String member, CallOutcome outcome) {
    }

    /** Records every attempt of every put and get. */
    static final class AttemptRecorder implements EtcdListener {
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CallListener callStarted(CallInfo call) {
            if (!call.method().equals("Put") && !call.method().equals("Range")) {
                return CallListener.NONE;
            }
            return new CallListener() {
                @Override
                public void attemptFailed(String member, CallOutcome outcome) {
                    attempts.add(new Attempt(System.nanoTime(), member, outcome));
                }

                @Override
                public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
                    attempts.add(new Attempt(System.nanoTime(), member, outcome));
                }
            };
        }

        List<Attempt> on(String member, long fromNanos, long toNanos) {
            return attempts.stream().filter(a -> a.member() != null && a.member().equals(member)
                    && a.atNanos() - fromNanos >= 0 && a.atNanos() - toNanos < 0).toList();
        }
    }

    @Test
    void aFrozenFollowerGetsNoCallUntilItAnswersAProbe() {
        AttemptRecorder recorder = new AttemptRecorder();
        RecordingListener members = new RecordingListener();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(recorder)
                .listener(members).build()) {
            for (int i = 0; i < 20; i++) {
                client.kv().put("frozen/warm" + i, "v");
            }
            EtcdMember leader = ETCD.cluster().leader();
            EtcdMember follower = ETCD.cluster().members().stream().filter(m -> m != leader).findFirst()
                    .orElseThrow();
            String frozen = follower.clientEndpoint();

            follower.pause();
            long frozenAt = System.nanoTime();
            long freezeNanos = Duration.ofSeconds(10).toNanos();
            long stall = 0;
            long longest = 0;
            int puts = 0;
            int unknown = 0;
            long last = frozenAt;
            while (System.nanoTime() - frozenAt < freezeNanos) {
                long start = System.nanoTime();
                try {
                    client.kv().put("frozen/k" + puts, "v");
                } catch (OutcomeUnknownException sentToTheFrozenMember) {
                    unknown++;
                }
                assertThat(client.kv().get("frozen/warm0")).isPresent();
                long took = System.nanoTime() - start;
                if (took > 200_000_000L) {
                    stall += took;
                }
                longest = Math.max(longest, System.nanoTime() - last);
                last = System.nanoTime();
                puts++;
            }
            long resumedAt = System.nanoTime();
            follower.resume();

            List<Attempt> whileFrozen = recorder.on(frozen, frozenAt, resumedAt);
            System.out.printf("FROZEN FOLLOWER: %d put+get pairs in a 10 s freeze, stall %d ms in total, longest gap "
                    + "%d ms, %d outcome unknown, %d call attempts on the frozen member%n", puts, stall / 1_000_000,
                    longest / 1_000_000, unknown, whileFrozen.size());
            assertThat(whileFrozen).as("call attempts on the frozen member while frozen: only the one that "
                    + "detected it").hasSizeLessThanOrEqualTo(1);
            assertThat(unknown).isLessThanOrEqualTo(1);
            assertThat(Duration.ofNanos(stall)).as("put+get stall over a 10 s freeze")
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(members.events("memberAvoided", frozen)).hasSize(1);

            // Back in rotation once a probe answers: puts reach it again.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() - deadline < 0
                    && recorder.on(frozen, resumedAt, System.nanoTime()).stream()
                            .noneMatch(a -> a.outcome() == CallOutcome.OK)) {
                client.kv().put("frozen/after" + puts++, "v");
                client.kv().get("frozen/warm0");
            }
            long backNanos = recorder.on(frozen, resumedAt, System.nanoTime()).stream()
                    .filter(a -> a.outcome() == CallOutcome.OK).mapToLong(Attempt::atNanos).findFirst()
                    .orElse(-1);
            assertThat(backNanos).as("a call served by the member after SIGCONT").isPositive();
            System.out.printf("FROZEN FOLLOWER: used again %d ms after SIGCONT%n", (backNanos - resumedAt) / 1_000_000);
            assertThat(members.kindsAbout(frozen)).containsSubsequence("memberAvoided", "memberRecovered");
        }
    }
}
