package io.etcdkit.soak;

import io.etcdkit.EtcdUnavailableException;

/**
 * How a failed write is judged: refused before it could apply ({@link EtcdUnavailableException}, including no
 * leader) means it surely did not happen; every other error (outcome unknown, a deadline passed after sending,
 * anything unexpected) means it may or may not have happened. Judging a failed write "unknown" is always safe
 * for the checkers; judging an unknown one "failed" would not be.
 */
public final class WriteErrors {
    private WriteErrors() {
    }

    /**
     * Classifies the error a write ended with.
     *
     * @param error the error
     * @return {@link Outcome#FAILED} or {@link Outcome#UNKNOWN}
     */
    public static Outcome outcomeOf(RuntimeException error) {
        return error instanceof EtcdUnavailableException ? Outcome.FAILED : Outcome.UNKNOWN;
    }

    /**
     * A short description for a history: the error's type and message.
     *
     * @param error the error
     * @return e.g. "OutcomeUnknownException: ..."
     */
    public static String describe(Throwable error) {
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}
