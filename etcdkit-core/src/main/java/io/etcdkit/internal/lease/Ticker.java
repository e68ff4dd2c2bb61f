package io.etcdkit.internal.lease;

/**
 * The lease engine's clock: a {@link System#nanoTime()} source. Injected so that the keep-alive schedule
 * (renewal, {@code AT_RISK}, {@code EXPIRED}) can be tested by stepping a fake clock, without etcd or waiting.
 */
@FunctionalInterface
interface Ticker {
    /** The system's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** The current time in nanoseconds, on an arbitrary origin (only differences matter). */
    long nanoTime();
}
