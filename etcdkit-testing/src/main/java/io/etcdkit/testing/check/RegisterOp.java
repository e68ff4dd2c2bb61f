package io.etcdkit.testing.check;

import java.util.Locale;
import java.util.Objects;

/**
 * One operation on a key-value register, as recorded by {@link RegisterHistory} and judged by
 * {@link LinearizabilityChecker}.
 *
 * <p>Fields by kind: a {@link Kind#READ} has {@code readValue} (the value read, {@code null} when the key was
 * absent) once {@link Outcome#OK}; a {@link Kind#WRITE} has {@code value}; a {@link Kind#CAS} has {@code expected}
 * ({@code null} = the key must be absent), {@code value} and, once OK, {@code casApplied}. Unused fields are
 * {@code null} / {@code false}. Times come from {@link System#nanoTime()}; {@code completeNanos} is
 * {@link Long#MAX_VALUE} while {@link Outcome#PENDING}, and for {@link Outcome#UNKNOWN} it is when the client gave
 * up (useful for timelines; the checker treats the completion of an unknown operation as never). {@code note} is the
 * reason given to {@link PendingOp#failed} or {@link PendingOp#unknown}, else {@code null}.
 *
 * @param process       the recording client's number (a process issues one operation at a time)
 * @param kind          read, write or compare-and-set
 * @param key           the register's key
 * @param expected      a CAS's expected value, {@code null} for "absent" and for other kinds
 * @param value         the value a write or CAS writes, {@code null} for reads
 * @param invokeNanos   when the operation was invoked
 * @param completeNanos when it completed, {@link Long#MAX_VALUE} while pending
 * @param outcome       what the client learned
 * @param readValue     the value an OK read returned, {@code null} if absent or not a read
 * @param casApplied    whether an OK CAS wrote its value
 * @param note          why the operation failed or its outcome is unknown, else {@code null}
 */
public record RegisterOp(int process, Kind kind, String key, String expected, String value, long invokeNanos,
                         long completeNanos, Outcome outcome, String readValue, boolean casApplied, String note) {

    /** The kind of operation. */
    public enum Kind {
        /** Reads the register. */
        READ,
        /** Writes a value unconditionally. */
        WRITE,
        /** Writes a value only if the register holds the expected one (or is absent when expected is null). */
        CAS
    }

    /** What the client learned about the operation. */
    public enum Outcome {
        /** Completed with a server answer. */
        OK,
        /** Certainly not applied; the checker drops it. */
        FAILED,
        /** May or may not have been applied. */
        UNKNOWN,
        /** Not completed (yet); judged like {@link #UNKNOWN}. */
        PENDING
    }

    /**
     * Checks the fields that every operation needs.
     *
     * @param process       the recording client's number
     * @param kind          read, write or compare-and-set
     * @param key           the register's key
     * @param expected      a CAS's expected value, {@code null} for "absent" and for other kinds
     * @param value         the value a write or CAS writes, {@code null} for reads
     * @param invokeNanos   when the operation was invoked
     * @param completeNanos when it completed, {@link Long#MAX_VALUE} while pending
     * @param outcome       what the client learned
     * @param readValue     the value an OK read returned, {@code null} if absent or not a read
     * @param casApplied    whether an OK CAS wrote its value
     * @param note          why the operation failed or its outcome is unknown, else {@code null}
     * @throws NullPointerException     if {@code kind}, {@code key} or {@code outcome} is null, or a write or CAS
     *                                  has no value
     * @throws IllegalArgumentException if a completed, non-pending operation completes before it was invoked
     */
    public RegisterOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (kind != Kind.READ) {
            Objects.requireNonNull(value, "value (a " + kind + " writes a value)");
        }
        if (outcome != Outcome.PENDING && completeNanos - invokeNanos < 0) {
            throw new IllegalArgumentException("operation completes before it was invoked (invokeNanos "
                    + invokeNanos + ", completeNanos " + completeNanos + "): " + kind + " of key '" + key + "'");
        }
    }

    /**
     * Whether the operation may have changed the register's value: an OK write, an applied CAS, or a write or CAS
     * with an unknown or pending outcome.
     *
     * @return {@code true} if it may have written
     */
    public boolean mayHaveWritten() {
        return switch (outcome) {
            case FAILED -> false;
            case UNKNOWN, PENDING -> kind != Kind.READ;
            case OK -> kind == Kind.WRITE || kind == Kind.CAS && casApplied;
        };
    }

    /**
     * A one-line, human-readable description, e.g.
     * {@code p3 CAS 'v1'->'v7' applied [12.500 .. 14.020 ms]}.
     *
     * @param originNanos the time that is shown as 0 ms, e.g. the first operation's invocation
     * @return the description, without the key
     */
    public String describe(long originNanos) {
        StringBuilder text = new StringBuilder("p").append(process).append(' ').append(kind).append(' ');
        switch (kind) {
            case READ -> text.append("-> ").append(outcome == Outcome.OK ? quote(readValue) : "?");
            case WRITE -> text.append(quote(value));
            case CAS -> text.append(quote(expected)).append("->").append(quote(value))
                    .append(outcome == Outcome.OK ? (casApplied ? " applied" : " not applied") : "");
        }
        if (outcome != Outcome.OK) {
            text.append(' ').append(outcome.name().toLowerCase(Locale.ROOT));
            if (note != null) {
                text.append(" (").append(note).append(')');
            }
        }
        text.append(" [").append(millis(invokeNanos - originNanos)).append(" .. ");
        text.append(outcome == Outcome.OK || outcome == Outcome.FAILED ? millis(completeNanos - originNanos) : "?");
        return text.append(" ms]").toString();
    }

    static String quote(String value) {
        return value == null ? "absent" : "'" + value + "'";
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
