package io.etcdkit.recipes.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one timer thread of the recipes' asynchronous waits: it only completes futures at their deadlines (the work
 * that follows runs where those futures' continuations run), so one daemon thread serves any number of waits. A
 * cancelled deadline is removed at once, so finished waits leave nothing behind.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class Deadlines {
    /** Waits longer than this are treated as unbounded: no timer is set. */
    public static final long UNBOUNDED_NANOS = TimeUnit.DAYS.toNanos(365);

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    /**
     * A timeout in nanoseconds, saturated: a negative one is 0, one too long for a {@code long} (a timeout of
     * centuries is as good as none) is {@code Long.MAX_VALUE / 4}, far enough that {@code nanoTime() + it} does not
     * overflow.
     *
     * @param timeout the timeout
     * @return its nanoseconds, saturated
     */
    public static long nanos(java.time.Duration timeout) {
        try {
            return Math.max(0, timeout.toNanos());
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    private Deadlines() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "etcdkit-recipes-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /**
     * Runs {@code action} at {@code deadlineNanos}, or never when that is more than {@link #UNBOUNDED_NANOS} away.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @param action what to do then; must not block
     * @return the scheduled action, to cancel when the wait ends first (null when none was scheduled)
     */
    public static ScheduledFuture<?> at(long deadlineNanos, Runnable action) {
        long left = deadlineNanos - System.nanoTime();
        if (left > UNBOUNDED_NANOS) {
            return null;
        }
        return TIMER.schedule(action, Math.max(0, left), TimeUnit.NANOSECONDS);
    }
}
