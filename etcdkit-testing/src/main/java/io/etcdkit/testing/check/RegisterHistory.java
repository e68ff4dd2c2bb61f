package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

/**
 * Records a concurrent history of reads, writes and compare-and-sets on key-value registers, for
 * {@link LinearizabilityChecker}.
 *
 * <p>Each client calls {@code invoke...} just <em>before</em> it sends an operation and completes the returned
 * {@link PendingOp} just <em>after</em> the answer arrives (or it gives up), so that the recorded interval contains
 * the real one. Each process number should issue one operation at a time. Times come from
 * {@link System#nanoTime()}; invocation stamps are taken under the history's lock, so {@link #operations()} is in
 * invocation order.
 *
 * <p>Thread-safe. About 100 bytes per operation plus its strings.
 */
public final class RegisterHistory {

    private final LongSupplier clock;
    private final List<Recorded> operations = new ArrayList<>();

    /** Creates an empty history stamped with {@link System#nanoTime()}. */
    public RegisterHistory() {
        this(System::nanoTime);
    }

    RegisterHistory(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Records the invocation of a read.
     *
     * @param process the recording client's number
     * @param key     the key read
     * @return the operation to complete with {@link PendingOp#readOk}, {@code failed} or {@code unknown}
     * @throws NullPointerException if {@code key} is null
     */
    public PendingOp invokeRead(int process, String key) {
        return invoke(process, Kind.READ, key, null, null);
    }

    /**
     * Records the invocation of an unconditional write.
     *
     * @param process the recording client's number
     * @param key     the key written
     * @param value   the value written; use values unique per key so that a report can tell writes apart
     * @return the operation to complete with {@link PendingOp#writeOk}, {@code failed} or {@code unknown}
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public PendingOp invokeWrite(int process, String key, String value) {
        return invoke(process, Kind.WRITE, key, null, Objects.requireNonNull(value, "value"));
    }

    /**
     * Records the invocation of a compare-and-set: write {@code value} if the register holds {@code expected}.
     *
     * @param process  the recording client's number
     * @param key      the key
     * @param expected the value the register must hold, or {@code null} if the key must be absent
     * @param value    the value written if the compare holds
     * @return the operation to complete with {@link PendingOp#casOk}, {@code failed} or {@code unknown}
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public PendingOp invokeCas(int process, String key, String expected, String value) {
        return invoke(process, Kind.CAS, key, expected, Objects.requireNonNull(value, "value"));
    }

    /**
     * A snapshot of every operation so far, in invocation order; operations not yet completed are
     * {@link Outcome#PENDING}.
     *
     * @return an unmodifiable list
     */
    public List<RegisterOp> operations() {
        synchronized (operations) {
            List<RegisterOp> snapshot = new ArrayList<>(operations.size());
            for (Recorded op : operations) {
                snapshot.add(op.snapshot());
            }
            return List.copyOf(snapshot);
        }
    }

    /**
     * How many operations were invoked so far.
     *
     * @return the count, completed or not
     */
    public int size() {
        synchronized (operations) {
            return operations.size();
        }
    }

    private PendingOp invoke(int process, Kind kind, String key, String expected, String value) {
        Objects.requireNonNull(key, "key");
        synchronized (operations) {
            Recorded op = new Recorded(process, kind, key, expected, value, clock.getAsLong());
            operations.add(op);
            return op;
        }
    }

    /** An operation's fixed fields and, guarded by the history's lock, its completion. */
    private final class Recorded implements PendingOp {
        private final int process;
        private final Kind kind;
        private final String key;
        private final String expected;
        private final String value;
        private final long invokeNanos;
        private long completeNanos = Long.MAX_VALUE;
        private Outcome outcome = Outcome.PENDING;
        private String readValue;
        private boolean casApplied;
        private String note;

        Recorded(int process, Kind kind, String key, String expected, String value, long invokeNanos) {
            this.process = process;
            this.kind = kind;
            this.key = key;
            this.expected = expected;
            this.value = value;
            this.invokeNanos = invokeNanos;
        }

        RegisterOp snapshot() {
            return new RegisterOp(process, kind, key, expected, value, invokeNanos, completeNanos, outcome, readValue,
                    casApplied, note);
        }

        @Override
        public void readOk(String valueOrNullWhenAbsent) {
            complete(Kind.READ, Outcome.OK, valueOrNullWhenAbsent, false, null);
        }

        @Override
        public void writeOk() {
            complete(Kind.WRITE, Outcome.OK, null, false, null);
        }

        @Override
        public void casOk(boolean applied) {
            complete(Kind.CAS, Outcome.OK, null, applied, null);
        }

        @Override
        public void failed(String why) {
            complete(kind, Outcome.FAILED, null, false, why);
        }

        @Override
        public void unknown(String why) {
            complete(kind, Outcome.UNKNOWN, null, false, why);
        }

        private void complete(Kind as, Outcome result, String read, boolean applied, String why) {
            long now = clock.getAsLong();
            synchronized (operations) {
                if (as != kind) {
                    throw new IllegalStateException("a " + kind + " of key '" + key + "' (process " + process
                            + ") cannot complete as a " + as + "; use the completion of its own kind");
                }
                if (outcome != Outcome.PENDING) {
                    throw new IllegalStateException("a " + kind + " of key '" + key + "' (process " + process
                            + ") was already completed as " + outcome + "; complete each operation exactly once");
                }
                completeNanos = now;
                outcome = result;
                readValue = read;
                casApplied = applied;
                note = why;
            }
        }
    }
}
