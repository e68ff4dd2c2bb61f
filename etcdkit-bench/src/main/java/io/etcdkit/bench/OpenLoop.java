package io.etcdkit.bench;

import java.nio.ByteBuffer;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop writing for the put-to-event measurements: sends paced by the clock (not by completions, so a slow
 * answer does not slow the writer), each value stamped with {@link System#nanoTime()} at the send so the event's
 * receiver can tell how long it took.
 */
final class OpenLoop {

    private OpenLoop() {
    }

    /** Calls {@code send} for 0 .. count-1, the i-th at {@code i / rate} seconds after the start. */
    static void run(int count, int rate, ProgressBar.Task task, IntConsumer send) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            send.accept(i);
            task.add(1);
        }
    }

    /** A value of {@code size} (at least 8) bytes whose first 8 are the current {@link System#nanoTime()}. */
    static byte[] stampedValue(int size) {
        byte[] value = new byte[size];
        ByteBuffer.wrap(value).putLong(0, System.nanoTime());
        return value;
    }

    /** Nanoseconds since the value was stamped (0 if the clock says less). */
    static long age(ByteBuffer value) {
        return Math.min(Math.max(0, System.nanoTime() - value.getLong(value.position())), Phase.HIGHEST_NANOS);
    }
}
