package io.etcdkit.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential back-off between retries: the first retry goes out at once (usually to another member),
 * then 25 ms, 50 ms, ... up to 1 s, each drawn uniformly from the upper half of its interval.
 */
final class Backoff {
    private static final long BASE_NANOS = 25_000_000L;
    private static final long MAX_NANOS = 1_000_000_000L;

    private Backoff() {}

    static long delayNanos(int retry) {
        if (retry <= 1) {
            return 0;
        }
        long ceiling = Math.min(MAX_NANOS, BASE_NANOS << Math.min(retry - 2, 10));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
