package io.etcdkit.bench;

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

    /** Runs {@code round} until the JIT has settled, at least once and at most {@code maxRounds} times. */
    static void untilJitSettles(int maxRounds, Round round) throws Exception {
        for (int r = 0; r < maxRounds; r++) {
            if (!settling(round.run(r))) {
                return;
            }
        }
    }

    /** Whether the JIT was still busy in {@code phase} (false when it cannot be told). */
    static boolean settling(Phase phase) {
        return phase.jitShare() > JIT_SETTLED;
    }
}
