package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.etcdkit.testing.check.LinearizabilityReport.Verdict;
import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

/**
 * Compares the checker with a brute-force search over every order of small random histories (both verdicts occur
 * often): any difference is a false violation or a false pass.
 */
class LinearizabilityCrossCheckTest {

    private static final String[] VALUES = {null, "a", "b", "c"};

    @Test
    void agreesWithABruteForceSearchOnSmallRandomHistories() {
        Random random = new Random(17);
        int linearizable = 0;
        int violations = 0;
        for (int round = 0; round < 3_000; round++) {
            List<RegisterOp> ops = randomHistory(random, 2 + random.nextInt(6));
            boolean expected = bruteForce(ops);
            LinearizabilityReport report = LinearizabilityChecker.check(ops, Duration.ofSeconds(10));
            assertThat(report.verdict()).as("round %d: %s%n%s", round, ops, report)
                    .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.VIOLATION);
            if (expected) {
                linearizable++;
            } else {
                violations++;
            }
        }
        assertThat(linearizable).as("linearizable cases").isGreaterThan(300);
        assertThat(violations).as("violating cases").isGreaterThan(300);
    }

    private static List<RegisterOp> randomHistory(Random random, int size) {
        List<RegisterOp> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long start = random.nextInt(12);
            long end = start + random.nextInt(6);
            Kind kind = Kind.values()[random.nextInt(3)];
            double dice = random.nextDouble();
            Outcome outcome = dice < 0.7 ? Outcome.OK : dice < 0.8 ? Outcome.FAILED
                    : dice < 0.92 ? Outcome.UNKNOWN : Outcome.PENDING;
            String value = kind == Kind.READ ? null : VALUES[1 + random.nextInt(3)];
            String expected = kind == Kind.CAS ? VALUES[random.nextInt(4)] : null;
            String read = kind == Kind.READ && outcome == Outcome.OK ? VALUES[random.nextInt(4)] : null;
            boolean applied = kind == Kind.CAS && outcome == Outcome.OK && random.nextBoolean();
            ops.add(new RegisterOp(i, kind, "k", expected, value, start, outcome == Outcome.PENDING ? Long.MAX_VALUE
                    : end, outcome, read, applied, null));
        }
        return ops;
    }

    /** Whether some order of the known operations and any subset of the possibly-applied ones is legal. */
    private static boolean bruteForce(List<RegisterOp> ops) {
        List<RegisterOp> known = new ArrayList<>();
        List<RegisterOp> maybe = new ArrayList<>();
        for (RegisterOp op : ops) {
            if (op.outcome() == Outcome.OK) {
                known.add(op);
            } else if (op.outcome() != Outcome.FAILED && op.kind() != Kind.READ) {
                maybe.add(op);
            }
        }
        List<RegisterOp> all = new ArrayList<>(known);
        all.addAll(maybe);
        return search(all, known.size(), new boolean[all.size()], 0, null);
    }

    private static boolean search(List<RegisterOp> all, int known, boolean[] placed, int placedKnown, String state) {
        if (placedKnown == known) {
            return true;
        }
        for (int x = 0; x < all.size(); x++) {
            if (placed[x] || !mayGoNext(all, known, placed, x)) {
                continue;
            }
            RegisterOp op = all.get(x);
            String after = apply(op, state, x < known);
            if (after == INVALID) {
                continue;
            }
            placed[x] = true;
            boolean found = search(all, known, placed, placedKnown + (x < known ? 1 : 0), after);
            placed[x] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** Real-time order: nothing known that completed strictly before {@code x} began may still be unplaced. */
    private static boolean mayGoNext(List<RegisterOp> all, int known, boolean[] placed, int x) {
        for (int y = 0; y < known; y++) {
            if (!placed[y] && all.get(y).completeNanos() < all.get(x).invokeNanos()) {
                return false;
            }
        }
        return true;
    }

    private static final String INVALID = new String("invalid");

    private static String apply(RegisterOp op, String state, boolean known) {
        return switch (op.kind()) {
            case READ -> Objects.equals(state, op.readValue()) ? state : INVALID;
            case WRITE -> op.value();
            case CAS -> {
                boolean holds = Objects.equals(state, op.expected());
                if (known && !op.casApplied()) {
                    yield holds ? INVALID : state;
                }
                yield holds ? op.value() : INVALID;
            }
        };
    }
}
