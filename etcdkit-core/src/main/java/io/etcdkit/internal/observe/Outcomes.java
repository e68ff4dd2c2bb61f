package io.etcdkit.internal.observe;

import io.etcdkit.DeadlineExceededException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.observe.CallOutcome;

/** Maps the error a caller receives to the {@link CallOutcome} listeners see. Internal API. */
public final class Outcomes {
    private Outcomes() {
    }

    /** The outcome of a call that failed with {@code error}. */
    public static CallOutcome of(Throwable error) {
        if (error == null) {
            return CallOutcome.OK;
        }
        if (error instanceof OutcomeUnknownException) {
            return CallOutcome.OUTCOME_UNKNOWN;
        }
        if (error instanceof EtcdUnavailableException) {
            return CallOutcome.UNAVAILABLE;
        }
        if (error instanceof DeadlineExceededException) {
            return CallOutcome.DEADLINE;
        }
        return CallOutcome.REFUSED;
    }
}
