package io.etcdkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.internal.Backoff.Jitter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's one back-off schedule. */
class BackoffTest {
    static final long MS = 1_000_000L;

    @Test
    void ceilingsGrowByTheMultiplierUpToTheMaximum() {
        Backoff b = Backoff.of(Duration.ofMillis(25), Duration.ofSeconds(1), 2, Jitter.NONE);
        assertThat(b.ceilingNanos(0)).isEqualTo(25 * MS);
        assertThat(b.ceilingNanos(1)).isEqualTo(25 * MS);
        assertThat(b.ceilingNanos(2)).isEqualTo(50 * MS);
        assertThat(b.ceilingNanos(6)).isEqualTo(800 * MS);
        assertThat(b.ceilingNanos(7)).isEqualTo(1000 * MS);
        assertThat(b.ceilingNanos(Integer.MAX_VALUE)).isEqualTo(1000 * MS);
        assertThat(b.delayNanos(3)).isEqualTo(100 * MS);
    }

    @Test
    void jitterStaysInItsBand() {
        Backoff equal = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(100), 1.5, Jitter.EQUAL);
        Backoff full = Backoff.of(Duration.ofMillis(100), Duration.ofMillis(100), 1.5, Jitter.FULL);
        long fullMin = Long.MAX_VALUE;
        for (int i = 0; i < 2_000; i++) {
            assertThat(equal.delayNanos(5)).isBetween(50 * MS, 100 * MS);
            long f = full.delayNanos(5);
            assertThat(f).isBetween(0L, 100 * MS);
            fullMin = Math.min(fullMin, f);
        }
        assertThat(fullMin).isLessThan(50 * MS); // full jitter does go below the equal-jitter band
    }

    @Test
    void theSchedulesOfTheClientKeepTheirFormerFigures() {
        assertThat(Backoff.RETRY.ceilingNanos(1)).isEqualTo(25 * MS);
        assertThat(Backoff.RETRY.ceilingNanos(20)).isEqualTo(1000 * MS);
        assertThat(Backoff.STREAM_REOPEN.ceilingNanos(1)).isEqualTo(50 * MS);
        assertThat(Backoff.WATCH_REOPEN.ceilingNanos(20)).isEqualTo(2000 * MS);
        assertThat(Backoff.MEMBER_AVOID.delayNanos(1)).isEqualTo(250 * MS);
        assertThat(Backoff.MEMBER_AVOID.delayNanos(20)).isEqualTo(10_000 * MS);
    }

    @Test
    void aScheduleThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> new Backoff(0, 1, 2, Jitter.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(2, 1, 2, Jitter.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(1, 2, 0.5, Jitter.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(1, 2, 2, null)).isInstanceOf(NullPointerException.class);
    }
}
