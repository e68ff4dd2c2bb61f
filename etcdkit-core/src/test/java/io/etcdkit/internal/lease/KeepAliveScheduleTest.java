package io.etcdkit.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.lease.LeaseState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive schedule of one lease, driven by a fake clock: {@code AT_RISK} exactly at
 * {@code confirmedSentAt + ttl - ttl/3}, {@code EXPIRED} exactly at {@code confirmedAckAt + ttl}, back to
 * {@code ALIVE} on an answered renewal. No etcd, no waiting.
 */
class KeepAliveScheduleTest {
    static final long TTL = TimeUnit.SECONDS.toNanos(9);
    static final long RTT = TimeUnit.MILLISECONDS.toNanos(4);

    /** A clock the test steps by hand. */
    static final class FakeTicker implements Ticker {
        long now = 1_000_000_000_000L; // any origin: only differences matter

        @Override
        public long nanoTime() {
            return now;
        }

        long at(long offset) {
            now = START + offset;
            return now;
        }
    }

    static final long START = 1_000_000_000_000L;

    /** A lease whose renewal was sent at START and answered one round trip later. */
    static KeepAliveEngine.Entry lease(FakeTicker clock) {
        return new KeepAliveEngine.Entry(7, TTL, START, START + RTT);
    }

    @Test
    void aliveUntilTheRiskMarginThenAtRiskThenExpiredAtTheExactBoundaries() {
        FakeTicker clock = new FakeTicker();
        KeepAliveEngine.Entry e = lease(clock);
        long risk = TTL - TTL / 3; // 6 s after the renewal was sent
        long expiry = RTT + TTL; // 9 s after it was answered

        assertThat(e.advance(clock.at(0))).isEqualTo(LeaseState.ALIVE);
        assertThat(e.nextSendAt).isEqualTo(START + TTL / 3); // renewed at a third of the TTL
        assertThat(e.advance(clock.at(risk - 1))).isEqualTo(LeaseState.ALIVE);
        assertThat(e.advance(clock.at(risk))).isEqualTo(LeaseState.AT_RISK);
        assertThat(e.advance(clock.at(expiry - 1))).isEqualTo(LeaseState.AT_RISK);
        assertThat(e.advance(clock.at(expiry))).isEqualTo(LeaseState.EXPIRED);
        // Terminal: neither a later tick nor a late answer brings it back.
        assertThat(e.advance(clock.at(expiry + TTL))).isEqualTo(LeaseState.EXPIRED);
        e.confirm(clock.at(expiry + 1), clock.at(expiry + 2), TTL);
        assertThat(e.state).isEqualTo(LeaseState.EXPIRED);
    }

    @Test
    void anAnsweredRenewalBringsAnAtRiskLeaseBackAndMovesEveryDeadline() {
        FakeTicker clock = new FakeTicker();
        KeepAliveEngine.Entry e = lease(clock);
        assertThat(e.advance(clock.at(TTL - TTL / 3))).isEqualTo(LeaseState.AT_RISK);

        long sent = clock.at(TTL - TTL / 3 + 10);
        long answered = clock.at(TTL - TTL / 3 + 10 + RTT);
        assertThat(e.confirm(sent, answered, TTL)).isTrue();
        assertThat(e.state).isEqualTo(LeaseState.ALIVE);
        assertThat(e.riskAt()).isEqualTo(sent + TTL - TTL / 3);
        assertThat(e.expireAt()).isEqualTo(answered + TTL);
        assertThat(e.nextSendAt).isEqualTo(sent + TTL / 3);

        // The old deadline has passed and nothing happens; the new ones hold exactly.
        assertThat(e.advance(clock.at(RTT + TTL))).isEqualTo(LeaseState.ALIVE);
        clock.now = e.riskAt() - 1;
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.ALIVE);
        clock.now = e.riskAt();
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.AT_RISK);
        clock.now = e.expireAt();
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.EXPIRED);
    }

    @Test
    void anAnswerToAnOlderRenewalChangesNothing() {
        FakeTicker clock = new FakeTicker();
        KeepAliveEngine.Entry e = lease(clock);
        long sent = clock.at(TTL / 3);
        assertThat(e.confirm(sent, clock.at(TTL / 3 + RTT), TTL)).isTrue();
        long riskAt = e.riskAt();
        // An answer to the renewal sent at START arrives late (a slow member): it must not move the deadlines back.
        assertThat(e.confirm(START, clock.at(TTL / 3 + 2 * RTT), TTL)).isFalse();
        assertThat(e.riskAt()).isEqualTo(riskAt);
    }

    @Test
    void aShorterTtlFromTheServerShortensTheSchedule() {
        FakeTicker clock = new FakeTicker();
        KeepAliveEngine.Entry e = lease(clock);
        long shorter = TimeUnit.SECONDS.toNanos(3);
        long sent = clock.at(TTL / 3);
        e.confirm(sent, sent + RTT, shorter);
        clock.now = sent + shorter - shorter / 3 - 1;
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.ALIVE);
        clock.now++;
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.AT_RISK);
        clock.now = sent + RTT + shorter;
        assertThat(e.advance(clock.now)).isEqualTo(LeaseState.EXPIRED);
    }

    @Test
    void theEngineReadsTheInjectedClock() {
        FakeTicker clock = new FakeTicker();
        KeepAliveEngine engine = new KeepAliveEngine(null, clock);
        assertThat(engine.ticker()).isSameAs(clock);
    }
}
