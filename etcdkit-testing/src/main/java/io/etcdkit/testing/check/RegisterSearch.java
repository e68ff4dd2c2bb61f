package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.etcdkit.testing.check.LinearizabilityReport.Verdict;
import io.etcdkit.testing.check.RegisterOp.Kind;
import io.etcdkit.testing.check.RegisterOp.Outcome;

/**
 * The Wing &amp; Gong / Lowe search for one key's register history (see {@link LinearizabilityChecker}).
 *
 * <p>Operations become call and return entries in a doubly linked list in time order (calls before returns on
 * equal times, which is the lenient reading); operations that may or may not have happened have no return entry.
 * Linearizing a call lifts it and its return out of the list; backtracking puts them back (dancing links). The
 * search succeeds once every operation with a known outcome is linearized.
 */
final class RegisterSearch {

    /** A key's verdict and, unless linearizable, its explanation. */
    record Result(Verdict verdict, String explanation) {
    }

    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int CAS_APPLIED = 2;
    private static final int CAS_NOT_APPLIED = 3;
    /** The model's number for every value that no operation observed (they behave alike). */
    private static final int UNOBSERVED = 1;
    private static final int SHOWN_PREFIX = 10;
    private static final int SHOWN_CANDIDATES = 16;
    private static final String NL = System.lineSeparator();

    private final String key;
    private final List<RegisterOp> history;
    private final long origin;

    private RegisterOp[] ops;
    private int[] kinds;
    private int[] argA;
    private int[] argB;
    private boolean[] required;
    private boolean[] interchangeable;
    private final Set<String> observed = new HashSet<>();
    private final Map<String, Integer> valueIds = new HashMap<>();

    RegisterSearch(String key, List<RegisterOp> history, long origin) {
        this.key = key;
        this.history = history;
        this.origin = origin;
    }

    Result run(long deadline) {
        List<RegisterOp> kept = relevantOperations();
        for (RegisterOp op : kept) {
            if (op.kind() == Kind.READ) {
                observed.add(op.readValue());
            } else if (op.kind() == Kind.CAS) {
                observed.add(op.expected());
            }
        }
        // required operations first, then the optional ones, then the interchangeable ones, each in invocation
        // order: see Walk.encode
        kept.sort(Comparator.comparingInt(this::group).thenComparingLong(op -> op.invokeNanos() - origin));
        int n = kept.size();
        ops = kept.toArray(RegisterOp[]::new);
        kinds = new int[n];
        argA = new int[n];
        argB = new int[n];
        required = new boolean[n];
        interchangeable = new boolean[n];
        int requiredCount = 0;
        valueIds.put(null, 0);
        for (int i = 0; i < n; i++) {
            RegisterOp op = ops[i];
            required[i] = op.outcome() == Outcome.OK;
            interchangeable[i] = group(op) == 2;
            requiredCount += required[i] ? 1 : 0;
            switch (op.kind()) {
                case READ -> {
                    kinds[i] = READ;
                    argA[i] = id(op.readValue());
                }
                case WRITE -> {
                    kinds[i] = WRITE;
                    argB[i] = id(op.value());
                }
                case CAS -> {
                    kinds[i] = required[i] && !op.casApplied() ? CAS_NOT_APPLIED : CAS_APPLIED;
                    argA[i] = id(op.expected());
                    argB[i] = id(op.value());
                }
            }
        }
        if (requiredCount == 0) {
            return new Result(Verdict.LINEARIZABLE, null);
        }
        return new Walk(requiredCount).search(deadline);
    }

    /**
     * The operations that can matter: known outcomes, and unknown writes and compare-and-sets that could have taken
     * effect before some known operation completed. Dropping the others never changes the verdict: an unknown
     * operation invoked after every known one completed can always be left out, and a compare-and-set expecting a
     * value nobody writes can never apply.
     */
    private List<RegisterOp> relevantOperations() {
        long lastKnownEnd = Long.MIN_VALUE;
        Set<String> written = new HashSet<>();
        for (RegisterOp op : history) {
            if (op.outcome() == Outcome.OK) {
                lastKnownEnd = Math.max(lastKnownEnd, op.completeNanos() - origin);
            }
            if (op.mayHaveWritten()) {
                written.add(op.value());
            }
        }
        List<RegisterOp> kept = new ArrayList<>();
        for (RegisterOp op : history) {
            boolean keep = switch (op.outcome()) {
                case OK -> true;
                case FAILED -> false;
                case UNKNOWN, PENDING -> op.kind() != Kind.READ && op.invokeNanos() - origin <= lastKnownEnd
                        && (op.kind() == Kind.WRITE || op.expected() == null || written.contains(op.expected()));
            };
            if (keep) {
                kept.add(op);
            }
        }
        return kept;
    }

    /**
     * 0 for operations with a known outcome, 1 for the other operations that may have taken effect, 2 for those of
     * them that are interchangeable: unknown writes of a value that no read returned and no compare-and-set
     * expected. Such a write can only hide the previous value until the next write, so any of them can stand for
     * any other once invoked; the search counts them instead of telling them apart, which keeps many unknown
     * writes (a partition's timed-out clients) from multiplying the configurations.
     */
    private int group(RegisterOp op) {
        if (op.outcome() == Outcome.OK) {
            return 0;
        }
        return op.kind() == Kind.WRITE && !observed.contains(op.value()) ? 2 : 1;
    }

    /** The value's number for the model: all values nobody observed are one value ({@link #UNOBSERVED}). */
    private int id(String value) {
        if (value != null && !observed.contains(value)) {
            return UNOBSERVED;
        }
        return valueIds.computeIfAbsent(value, v -> valueIds.size() + 1); // 0 is absent, 1 is UNOBSERVED
    }

    /** The register's value after {@code op} from {@code state}, or -1 if the model forbids {@code op} there. */
    private int step(int state, int op) {
        return switch (kinds[op]) {
            case READ -> state == argA[op] ? state : -1;
            case WRITE -> argB[op];
            case CAS_APPLIED -> state == argA[op] ? argB[op] : -1;
            default -> state != argA[op] ? state : -1;
        };
    }

    /** One depth-first search over the entry list. */
    private final class Walk {
        private final int requiredCount;
        private final int n = ops.length;
        private final int head;
        private final int tail;
        private final int[] next;
        private final int[] prev;
        private final int[] entryOp;
        private final boolean[] isCall;
        private final int[] match;
        private final int requiredWords;
        private final int[] bitOf;
        private final long[] bits;
        private final long[] encoded;
        private int lowHint;
        private int highHint;
        private int interchangeableLinearized;
        private final ConfigurationSet seen = new ConfigurationSet();

        private final int[] stackNode;
        private final int[] stackState;
        private int depth;
        private final int[] best;
        private int bestDepth;
        private int bestState;
        private int validBestPrefix;

        Walk(int requiredCount) {
            this.requiredCount = requiredCount;
            int entries = n + requiredCount;
            Integer[] order = new Integer[entries];
            int[] opOf = new int[entries];
            boolean[] call = new boolean[entries];
            long[] time = new long[entries];
            int e = 0;
            for (int i = 0; i < n; i++) {
                opOf[e] = i;
                call[e] = true;
                time[e++] = ops[i].invokeNanos() - origin;
                if (required[i]) {
                    opOf[e] = i;
                    time[e++] = ops[i].completeNanos() - origin;
                }
            }
            for (int i = 0; i < entries; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingLong(i -> time[i]).thenComparing(i -> call[i] ? 0 : 1));
            head = 0;
            tail = entries + 1;
            next = new int[entries + 2];
            prev = new int[entries + 2];
            entryOp = new int[entries + 2];
            isCall = new boolean[entries + 2];
            match = new int[entries + 2];
            int[] callNode = new int[n];
            Arrays.fill(match, -1);
            for (int position = 1; position <= entries; position++) {
                int entry = order[position - 1];
                entryOp[position] = opOf[entry];
                isCall[position] = call[entry];
                if (call[entry]) {
                    callNode[opOf[entry]] = position;
                } else {
                    match[callNode[opOf[entry]]] = position;
                }
            }
            for (int position = 0; position <= entries; position++) {
                next[position] = position + 1;
                prev[position + 1] = position;
            }
            requiredWords = (requiredCount + 63) >>> 6;
            bitOf = new int[n];
            int tracked = 0;
            for (int i = 0; i < n; i++) {
                bitOf[i] = required[i] ? i : (requiredWords << 6) + i - requiredCount;
                tracked += interchangeable[i] ? 0 : 1;
            }
            bits = new long[requiredWords + ((tracked - requiredCount + 63) >>> 6)];
            encoded = new long[2 + bits.length];
            stackNode = new int[n];
            stackState = new int[n];
            best = new int[n];
        }

        Result search(long deadline) {
            int node = next[head];
            int state = 0;
            int linearizedRequired = 0;
            long steps = 0;
            boolean triedInterchangeable = false;
            while (true) {
                if ((++steps & 0xFFF) == 0 && (System.nanoTime() - deadline > 0 || seen.isFull())) {
                    return new Result(Verdict.INCONCLUSIVE, undecided(steps));
                }
                if (node != tail && isCall[node]) {
                    int op = entryOp[node];
                    if (interchangeable[op]) {
                        if (triedInterchangeable) {
                            node = next[node]; // another would reach the same configuration
                            continue;
                        }
                        triedInterchangeable = true;
                    }
                    int after = step(state, op);
                    if (after >= 0) {
                        set(op);
                        if (seen.add(encoded, encode(), after)) {
                            stackNode[depth] = node;
                            stackState[depth++] = state;
                            state = after;
                            lift(node);
                            if (required[op] && ++linearizedRequired == requiredCount) {
                                return new Result(Verdict.LINEARIZABLE, null);
                            }
                            if (depth > bestDepth) {
                                for (int i = validBestPrefix; i < depth; i++) {
                                    best[i] = entryOp[stackNode[i]];
                                }
                                bestDepth = depth;
                                validBestPrefix = depth;
                                bestState = state;
                            }
                            node = next[head];
                            triedInterchangeable = false;
                            continue;
                        }
                        clear(op);
                    }
                    node = next[node];
                    continue;
                }
                // the return of an operation not yet linearized (or the end): backtrack
                if (depth == 0) {
                    return new Result(Verdict.VIOLATION, violation());
                }
                node = stackNode[--depth];
                validBestPrefix = Math.min(validBestPrefix, depth);
                state = stackState[depth];
                int op = entryOp[node];
                clear(op);
                if (required[op]) {
                    linearizedRequired--;
                }
                unlift(node);
                node = next[node];
                triedInterchangeable = interchangeable[op];
            }
        }

        private void set(int op) {
            if (interchangeable[op]) {
                interchangeableLinearized++;
                return;
            }
            int word = bitOf[op] >>> 6;
            bits[word] |= 1L << bitOf[op];
            if (word < requiredWords) {
                highHint = Math.max(highHint, word);
            }
        }

        private void clear(int op) {
            if (interchangeable[op]) {
                interchangeableLinearized--;
                return;
            }
            int word = bitOf[op] >>> 6;
            bits[word] &= ~(1L << bitOf[op]);
            lowHint = Math.min(lowHint, word);
        }

        /**
         * Writes the set of linearized operations into {@link #encoded} compactly and returns its length. Required
         * operations are numbered in invocation order, so the set is all of them below some point, a short window
         * of the concurrent ones, and none after; only the window is stored, with its position, followed by the
         * (usually few) optional operations in full, and the number of interchangeable ones. Equal sets give equal
         * encodings, and sets with equal encodings have the same futures.
         */
        private int encode() {
            int low = lowHint;
            while (low < requiredWords - 1 && bits[low] == -1L) {
                low++;
            }
            lowHint = low;
            int high = Math.max(highHint, low);
            while (high > low && bits[high] == 0) {
                high--;
            }
            highHint = high;
            encoded[0] = ((long) low << 32) | high;
            encoded[1] = interchangeableLinearized;
            int length = 2;
            for (int word = low; word <= high; word++) {
                encoded[length++] = bits[word];
            }
            for (int word = requiredWords; word < bits.length; word++) {
                encoded[length++] = bits[word];
            }
            return length;
        }

        private void lift(int call) {
            remove(call);
            if (match[call] >= 0) {
                remove(match[call]);
            }
        }

        private void unlift(int call) {
            if (match[call] >= 0) {
                restore(match[call]);
            }
            restore(call);
        }

        private void remove(int node) {
            next[prev[node]] = next[node];
            prev[next[node]] = prev[node];
        }

        private void restore(int node) {
            next[prev[node]] = node;
            prev[next[node]] = node;
        }

        private String undecided(long steps) {
            return "key '" + key + "': undecided when the budget ran out (" + n + " operations searched, "
                    + CheckReport.count(n - requiredCount, "unknown outcome") + ", " + steps + " steps, "
                    + seen.size() + " configurations; longest linearizable prefix so far: " + bestDepth + ")";
        }

        private String violation() {
            boolean[] placed = new boolean[n];
            for (int i = 0; i < bestDepth; i++) {
                placed[best[i]] = true;
            }
            int blocker = -1;
            for (int i = 0; i < n; i++) {
                if (required[i] && !placed[i]
                        && (blocker < 0 || ops[i].completeNanos() - ops[blocker].completeNanos() < 0)) {
                    blocker = i;
                }
            }
            StringBuilder text = new StringBuilder("key '").append(key).append("': not linearizable (")
                    .append(CheckReport.count(n, "operation")).append(" judged, ")
                    .append(CheckReport.count(n - requiredCount, "unknown outcome")).append("). The longest ")
                    .append("linearizable prefix found has ").append(bestDepth).append(" operations, after which ")
                    .append("the register is ").append(RegisterOp.quote(valueAfterBest())).append('.');
            if (bestDepth > 0) {
                int from = Math.max(0, bestDepth - SHOWN_PREFIX);
                text.append(NL).append("  last placed").append(from > 0 ? " (" + (bestDepth - from) + " of "
                        + bestDepth + ")" : "").append(':');
                for (int i = from; i < bestDepth; i++) {
                    text.append(NL).append("    ").append(ops[best[i]].describe(origin));
                }
            }
            text.append(NL).append("  could not place next (").append(ops[blocker].describe(origin))
                    .append(" must take effect before it ended; the search found no way on from the prefix with")
                    .append(" any of these concurrent operations):");
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!placed[i] && ops[i].invokeNanos() - ops[blocker].completeNanos() <= 0) {
                    candidates.add(i);
                }
            }
            candidates.sort(Comparator.comparingLong(i -> ops[i].invokeNanos() - origin));
            for (int i = 0; i < Math.min(SHOWN_CANDIDATES, candidates.size()); i++) {
                int op = candidates.get(i);
                text.append(NL).append("    ").append(ops[op].describe(origin))
                        .append(step(bestState, op) < 0 ? "  <- not possible here" : "");
            }
            if (candidates.size() > SHOWN_CANDIDATES) {
                text.append(NL).append("    ... and ").append(candidates.size() - SHOWN_CANDIDATES).append(" more");
            }
            return text.toString();
        }

        /** The value written last in the best prefix (the model's state may stand for several unobserved ones). */
        private String valueAfterBest() {
            String value = null;
            for (int i = 0; i < bestDepth; i++) {
                int op = best[i];
                if (kinds[op] == WRITE || kinds[op] == CAS_APPLIED) {
                    value = ops[op].value();
                }
            }
            return value;
        }
    }
}
