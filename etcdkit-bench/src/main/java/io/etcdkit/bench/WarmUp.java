package io.etcdkit.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * When a warm-up is done: the JIT compiler has settled once its threads use at most {@link #JIT_SETTLED} of the
 * process's CPU during a warm-up round. Workloads made of few, long rounds (lock, subscribe) repeat their warm-up
 * round until then, at most a given number of times; the operation workloads extend theirs in chunks.
 */
final class WarmUp {
    /** The share of the process's CPU used by JIT compiler threads under which the warm-up may end. */
    static final double JIT_SETTLED = 0.05;

    private WarmUp() {
    }

    /** One warm-up round; returns its phase, whose JIT share decides whether another round follows. */
    interface Round {
        Phase run(int index) throws Exception;
    }

    /**
     * Runs {@code round} until the JIT has settled, at least once and at most {@code maxRounds} times, and prints
     * to {@code out} how many rounds it took and the JIT's share in the last one, under {@code tag}.
     */
    static void untilJitSettles(PrintStream out, String tag, int maxRounds, Round round) throws Exception {
        int r = 0;
        Phase last;
        do {
            last = round.run(r++);
        } while (settling(last) && r < maxRounds);
        double share = last.jitShare();
        out.printf(Locale.ROOT, "%-36s warm-up  %d round(s); JIT %s of CPU in the last%s%n", tag, r,
                Double.isNaN(share) ? "n/a" : Math.round(share * 100) + "%",
                settling(last) ? " (still compiling: the measured phase may include JIT work)" : "");
    }

    /** Whether the JIT was still busy in {@code phase} (false when it cannot be told). */
    static boolean settling(Phase phase) {
        return phase.jitShare() > JIT_SETTLED;
    }
}
