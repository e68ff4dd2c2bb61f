package io.etcdkit.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on stderr. On a terminal (or with {@code --progress}) a bar redrawn in place at most
 * ten times a second: {@code snapshot [=========>          ]  45%  1.2 MB of 2.7 MB}; otherwise a plain line at
 * most every {@link #PLAIN_INTERVAL_NANOS 2 s}, so logs stay readable. Thread-safe: progress may be reported from
 * any thread. The total may be unknown (negative), then only the amount done is shown.
 */
final class ProgressBar implements AutoCloseable {
    /** What is counted. */
    enum Unit { KEYS, BYTES }

    private static final long DRAW_INTERVAL_NANOS = 100_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 2_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final Unit unit;
    private final boolean draw;
    private long done;
    private long lastShown;
    private boolean closed;

    ProgressBar(PrintWriter err, String label, long total, Unit unit, boolean draw) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.draw = draw;
        this.lastShown = System.nanoTime();
    }

    /** A bar for {@code options}: drawn on a terminal or with {@code --progress}, plain lines otherwise. */
    static ProgressBar start(GlobalOptions options, PrintWriter err, String label, long total, Unit unit) {
        return new ProgressBar(err, label, total, unit, options.drawProgressBars());
    }

    /** Reports the amount done so far. */
    synchronized void update(long doneSoFar) {
        if (closed) {
            return;
        }
        done = doneSoFar;
        long now = System.nanoTime();
        if (now - lastShown >= (draw ? DRAW_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            lastShown = now;
            show(null);
        }
    }

    /** Shows the final state as done and ends the line. Idempotent; nothing after {@link #stopped()}. */
    @Override
    public synchronized void close() {
        end("done");
    }

    /** Shows the state reached as stopped (the work failed) and ends the line. Idempotent. */
    synchronized void stopped() {
        end("stopped");
    }

    private void end(String how) {
        if (closed) {
            return;
        }
        closed = true;
        show(how);
    }

    /** Shows the state; {@code ending} (done, stopped) ends the line, null keeps it open. */
    private void show(String ending) {
        if (draw) {
            String text = "\r" + label + " " + bar() + "  " + amount();
            // a drawn bar shows being done by itself; only a stop is spelled out
            err.print(ending == null ? text : text + (ending.equals("done") ? "" : ", " + ending)
                    + System.lineSeparator());
        } else {
            err.println(label + ": " + amount() + (ending == null ? "" : ", " + ending));
        }
        err.flush();
    }

    private String bar() {
        if (total <= 0) {
            return "";
        }
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        String arrow = filled < WIDTH ? ">" : "";
        String spaces = " ".repeat(Math.max(0, WIDTH - filled - arrow.length()));
        return "[" + "=".repeat(filled) + arrow + spaces + "] " + String.format(Locale.ROOT, "%3d%%",
                Math.min(100, done * 100 / total));
    }

    private String amount() {
        if (unit == Unit.BYTES) {
            return total > 0 ? bytes(done) + " of " + bytes(total) : bytes(done);
        }
        return String.format(Locale.ROOT, total > 0 ? "%,d of %,d keys" : "%,d keys", done, total);
    }

    /** {@code n} bytes for people: {@code 512 B}, {@code 1.2 kB}, {@code 3.4 MB}, {@code 1.0 GB}. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
