package io.etcdkit.recipes.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The recipes' one back-off schedule. */
class BackoffTest {
    static final long MS = 1_000_000L;

    @Test
    void conflictRetriesUseFullJitterBelowADoublingCeiling() {
        Backoff b = Backoff.conflicts(Duration.ofMillis(2), Duration.ofMillis(250));
        assertThat(b.ceilingNanos(1)).isEqualTo(2 * MS);
        assertThat(b.ceilingNanos(4)).isEqualTo(16 * MS);
        assertThat(b.ceilingNanos(30)).isEqualTo(250 * MS);
        for (int i = 0; i < 1_000; i++) {
            assertThat(b.delayNanos(4)).isBetween(0L, 16 * MS);
        }
    }

    @Test
    void reconnectsDoubleFromATenthOfASecondToFiveSecondsWithEqualJitter() {
        assertThat(Backoff.RECONNECT.ceilingNanos(1)).isEqualTo(100 * MS);
        assertThat(Backoff.RECONNECT.ceilingNanos(10)).isEqualTo(5_000 * MS);
        for (int i = 0; i < 1_000; i++) {
            assertThat(Backoff.RECONNECT.delayNanos(2)).isBetween(100 * MS, 200 * MS);
        }
    }

    @Test
    void badSettingsAreRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> Backoff.conflicts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("initial");
        assertThatThrownBy(() -> Backoff.conflicts(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("maximum");
        assertThatThrownBy(() -> Backoff.conflicts(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("initial");
    }
}
