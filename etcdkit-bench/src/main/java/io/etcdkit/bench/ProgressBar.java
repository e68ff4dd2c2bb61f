package io.etcdkit.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A progress bar on one line of {@code out} (stderr), redrawn in place with {@code \r} four times a second while a
 * task runs and erased when it ends, so the results on stdout stay clean. One task at a time.
 */
final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Task> current = new AtomicReference<>();

    /** A running task: count what is done with {@link #add} or {@link #set}; close it when finished. */
    final class Task implements AutoCloseable {
        private final String label;
        private final long total;
        private final String unit;
        private final AtomicLong done = new AtomicLong();
        private final long startNanos = System.nanoTime();

        private Task(String label, long total, String unit) {
            this.label = label;
            this.total = Math.max(1, total);
            this.unit = unit;
        }

        void add(long n) {
            done.addAndGet(n);
        }

        void set(long n) {
            done.set(n);
        }

        long done() {
            return done.get();
        }

        @Override
        public void close() {
            synchronized (out) {
                if (current.compareAndSet(this, null)) {
                    out.print("\r" + " ".repeat(120) + "\r");
                    out.flush();
                }
            }
        }
    }

    ProgressBar(PrintStream out) {
        this.out = out;
        ticker.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Starts showing a task of {@code total} units (ops, events, keys, seconds). */
    Task start(String label, long total, String unit) {
        Task t = new Task(label, total, unit);
        current.set(t);
        return t;
    }

    private void draw() {
        synchronized (out) {
            Task t = current.get();
            if (t == null) {
                return;
            }
            long done = Math.min(t.done.get(), t.total);
            int filled = (int) (done * WIDTH / t.total);
            double secs = (System.nanoTime() - t.startNanos) / 1e9;
            String line = String.format(Locale.ROOT, "\r  %-42.42s [%s%s] %3d%%  %,d/%,d %s  %,.0f/s", t.label,
                    "#".repeat(filled), "-".repeat(WIDTH - filled), done * 100 / t.total, done, t.total, t.unit,
                    secs > 0 ? t.done.get() / secs : 0.0);
            out.print(line);
            out.flush();
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
