package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

/**
 * Generates register histories that are linearizable by construction: processes invoke operations at random
 * times, each operation takes effect atomically on an in-memory store at one instant inside its interval, and
 * completes later. Failed operations never take effect; an operation with an unknown outcome takes effect inside
 * its interval, never, or at some instant after its completion (the "applied after the client gave up" case).
 * Values are unique ("v" + counter).
 */
final class SimulatedRegisters {

    /** Time step in nanoseconds. */
    static final long STEP = 1_000;

    private final Random random;
    private final int processes;
    private final int keys;
    private final double unknownRate;
    private final double failRate;

    private final Map<String, String> store = new HashMap<>();
    private final List<InFlight> deferred = new ArrayList<>();
    private final List<RegisterOp> history = new ArrayList<>();
    private int values;

    SimulatedRegisters(long seed, int processes, int keys, double unknownRate, double failRate) {
        this.random = new Random(seed);
        this.processes = processes;
        this.keys = keys;
        this.unknownRate = unknownRate;
        this.failRate = failRate;
    }

    /** Runs until {@code operations} were invoked and all completed; returns them in invocation order. */
    List<RegisterOp> run(int operations) {
        InFlight[] busy = new InFlight[processes];
        int invoked = 0;
        int active = 0;
        long time = 0;
        while (invoked < operations || active > 0) {
            time += STEP * (1 + random.nextInt(3));
            if (!deferred.isEmpty() && random.nextInt(50) == 0) {
                deferred.remove(random.nextInt(deferred.size())).apply();
            }
            int p = random.nextInt(processes);
            InFlight op = busy[p];
            if (op == null) {
                if (invoked < operations) {
                    busy[p] = invoke(p, time);
                    invoked++;
                    active++;
                }
            } else if (!op.decided) {
                op.decided = true;
                if (op.outcome == Outcome.OK) {
                    op.apply();
                } else if (op.outcome == Outcome.UNKNOWN) {
                    switch (random.nextInt(3)) {
                        case 0 -> op.apply();
                        case 1 -> deferred.add(op);
                        default -> { } // never applied
                    }
                }
            } else {
                history.add(op.complete(time));
                busy[p] = null;
                active--;
            }
        }
        history.sort((a, b) -> Long.compare(a.invokeNanos(), b.invokeNanos()));
        return history;
    }

    private InFlight invoke(int process, long time) {
        String key = "k" + random.nextInt(keys);
        double dice = random.nextDouble();
        Kind kind = dice < 0.45 ? Kind.READ : dice < 0.8 ? Kind.WRITE : Kind.CAS;
        String expected = null;
        String value = null;
        if (kind != Kind.READ) {
            value = "v" + values++;
        }
        if (kind == Kind.CAS) {
            // usually the current value (so many apply), sometimes an older or absent one
            expected = random.nextInt(4) == 0 && values > 2 ? "v" + random.nextInt(values - 1) : store.get(key);
        }
        double fate = random.nextDouble();
        Outcome outcome = fate < unknownRate ? Outcome.UNKNOWN : fate < unknownRate + failRate ? Outcome.FAILED
                : Outcome.OK;
        return new InFlight(process, kind, key, expected, value, time, outcome);
    }

    private final class InFlight {
        final int process;
        final Kind kind;
        final String key;
        final String expected;
        final String value;
        final long invoked;
        final Outcome outcome;
        boolean decided;
        String read;
        boolean applied;

        InFlight(int process, Kind kind, String key, String expected, String value, long invoked, Outcome outcome) {
            this.process = process;
            this.kind = kind;
            this.key = key;
            this.expected = expected;
            this.value = value;
            this.invoked = invoked;
            this.outcome = outcome;
        }

        void apply() {
            String current = store.get(key);
            switch (kind) {
                case READ -> read = current;
                case WRITE -> store.put(key, value);
                case CAS -> {
                    applied = java.util.Objects.equals(current, expected);
                    if (applied) {
                        store.put(key, value);
                    }
                }
            }
        }

        RegisterOp complete(long time) {
            boolean ok = outcome == Outcome.OK;
            return new RegisterOp(process, kind, key, expected, value, invoked, time, outcome, ok ? read : null,
                    ok && applied, ok ? null : "simulated " + outcome);
        }
    }
}
