package io.etcdkit.testing.check;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Judges a lock under faults by its fencing tokens and a guarded counter register.
 *
 * <p><b>Recording.</b> Each contender calls {@link #waiting} when it starts waiting for the lock,
 * {@link #acquired} with its fencing token (e.g. the lock key's create revision) once it holds it, and
 * {@link #released} when it lets go. When a test kills a holder or lets its session expire, it records
 * {@code released} on the holder's behalf at the moment the lock should become free; a waiter that gives up
 * records {@link #stoppedWaiting}. The guarded register (a counter in etcd that accepts a write only if the
 * writer's token is still current, e.g. a transaction comparing the lock key) records every write it
 * <em>accepted</em> with {@link #guardedWrite}: holder, token and the register value before and after. Each
 * accepted write must add exactly 1.
 *
 * <p><b>What is judged</b> (see {@link Report}): the order in which the register accepted writes is the order of
 * their before-values (that order is the truth even when client threads record late), and in that order
 * <ul>
 *   <li><i>fencing violations</i>: a write with a token lower than an earlier accepted write's token — a stale
 *       holder's write got through while a newer holder held the lock;</li>
 *   <li><i>lost increments</i>: two writes accepted at the same register value (one overwrote the other), a
 *       write that did not add exactly 1, or (with {@link #check(long)}) a final register value other than the
 *       initial value plus the number of accepted writes;</li>
 *   <li><i>reused tokens</i>: one token acquired by two holders, or an accepted write by a holder with a token
 *       another holder acquired;</li>
 *   <li><i>unheld writes</i>: an accepted write with a token no holder ever acquired.</li>
 * </ul>
 * Two holders believing they hold the lock at once (the old one's lease expired) is not a violation in itself;
 * the report shows it as "max N holders at once", and the fencing checks decide whether it did harm. For liveness,
 * {@link #acquisitionGaps()} gives the longest time the lock was free while someone waited, e.g. to assert
 * "acquirable again within TTL + 1 s" with {@link Report#assertAcquirableWithin(Duration)}.
 *
 * <p><b>Threads and memory.</b> All methods are thread-safe. Timestamps come from {@link System#nanoTime()}, taken
 * under the checker's lock so that the timeline is ordered. About 21 bytes per lock event and 28 bytes per write;
 * holder names are interned.
 */
public final class FencingChecker {

    private static final byte WAITING = 0;
    private static final byte STOPPED_WAITING = 1;
    private static final byte ACQUIRED = 2;
    private static final byte RELEASED = 3;

    private final long initialValue;
    private final LongSupplier clock;
    private final NameTable holders = new NameTable();

    private final Object timelineLock = new Object();
    private long[] times = new long[256];
    private byte[] types = new byte[256];
    private int[] eventHolders = new int[256];
    private long[] eventTokens = new long[256];
    private int events;

    private final Object writesLock = new Object();
    private int[] writeHolders = new int[256];
    private long[] writeTokens = new long[256];
    private long[] befores = new long[256];
    private long[] afters = new long[256];
    private int writes;

    /** Creates a checker for a register that starts at 0. */
    public FencingChecker() {
        this(0);
    }

    /**
     * Creates a checker for a register that starts at {@code initialRegisterValue}.
     *
     * @param initialRegisterValue the register's value before the first accepted write
     */
    public FencingChecker(long initialRegisterValue) {
        this(initialRegisterValue, System::nanoTime);
    }

    /** For tests: a checker reading time from {@code nanoClock}. */
    FencingChecker(long initialRegisterValue, LongSupplier nanoClock) {
        this.initialValue = initialRegisterValue;
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Records that {@code holder} started waiting for the lock.
     *
     * @param holder the contender's name
     */
    public void waiting(String holder) {
        event(WAITING, holder, 0);
    }

    /**
     * Records that {@code holder} gave up waiting (a try-lock timed out) without acquiring.
     *
     * @param holder the contender's name
     */
    public void stoppedWaiting(String holder) {
        event(STOPPED_WAITING, holder, 0);
    }

    /**
     * Records that {@code holder} acquired the lock with fencing token {@code token}.
     *
     * @param holder the holder's name
     * @param token  its fencing token
     */
    public void acquired(String holder, long token) {
        event(ACQUIRED, holder, token);
    }

    /**
     * Records that {@code holder} released the lock held with {@code token}, or that the test killed it or let
     * its session expire (the moment the lock should be free).
     *
     * @param holder the holder's name
     * @param token  the token it held
     */
    public void released(String holder, long token) {
        event(RELEASED, holder, token);
    }

    /**
     * Records a write the guarded register accepted.
     *
     * @param holder              the writer
     * @param token               the fencing token the write carried
     * @param registerValueBefore the register's value the write replaced
     * @param registerValueAfter  the value it wrote (must be {@code registerValueBefore + 1})
     */
    public void guardedWrite(String holder, long token, long registerValueBefore, long registerValueAfter) {
        int id = holders.intern(Objects.requireNonNull(holder, "holder"));
        synchronized (writesLock) {
            if (writes == befores.length) {
                int capacity = writes + (writes >> 1);
                writeHolders = Arrays.copyOf(writeHolders, capacity);
                writeTokens = Arrays.copyOf(writeTokens, capacity);
                befores = Arrays.copyOf(befores, capacity);
                afters = Arrays.copyOf(afters, capacity);
            }
            writeHolders[writes] = id;
            writeTokens[writes] = token;
            befores[writes] = registerValueBefore;
            afters[writes] = registerValueAfter;
            writes++;
        }
    }

    /**
     * The longest time the lock was free (nobody held it) while at least one contender waited, up to now. A gap
     * still open now counts up to now.
     *
     * @return the longest gap, {@link Duration#ZERO} if none
     */
    public Duration acquisitionGaps() {
        return Duration.ofNanos(timeline().longestGapNanos());
    }

    /**
     * Judges everything recorded so far, without checking the register's final value.
     *
     * @return the report
     */
    public Report check() {
        return check(false, 0);
    }

    /**
     * Judges everything recorded so far, including that the register's final value equals its initial value
     * plus the number of accepted writes.
     *
     * @param finalRegisterValue the register's value read from the store after all writers stopped
     * @return the report
     */
    public Report check(long finalRegisterValue) {
        return check(true, finalRegisterValue);
    }

    private Report check(boolean checkFinal, long finalValue) {
        Timeline timeline = timeline();
        FindingsCollector fencing = new FindingsCollector("fencing violations");
        FindingsCollector lost = new FindingsCollector("lost increments");
        FindingsCollector reused = new FindingsCollector("reused tokens");
        FindingsCollector unheld = new FindingsCollector("unheld writes");
        for (Map.Entry<Long, Set<Integer>> entry : timeline.tokenHolders.entrySet()) {
            if (entry.getValue().size() > 1) {
                reused.add(entry.getKey(), "", "token " + entry.getKey() + " acquired by " + names(entry.getValue()));
            }
        }
        int n;
        int[] holder;
        long[] token;
        long[] before;
        long[] after;
        synchronized (writesLock) {
            n = writes;
            holder = writeHolders;
            token = writeTokens;
            before = befores;
            after = afters;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        RevisionOrder.sort(order, before);
        int maxTokenWrite = -1;
        for (int k = 0; k < n; k++) {
            int w = order[k];
            String name = holders.name(holder[w]);
            Set<Integer> acquirers = timeline.tokenHolders.get(token[w]);
            if (acquirers == null) {
                unheld.add(before[w], name, describeWrite(w, holder, token, before)
                        + " carried a token no holder acquired");
            } else if (!acquirers.contains(holder[w])) {
                reused.add(token[w], name, "token " + token[w] + " acquired by " + names(acquirers)
                        + " but used by " + name + " for an accepted write at register value " + before[w]);
            }
            if (after[w] != before[w] + 1) {
                lost.add(before[w], name, describeWrite(w, holder, token, before) + " set it to " + after[w]
                        + "; each accepted write must add exactly 1");
            }
            if (k > 0 && before[order[k - 1]] == before[w]) {
                int previous = order[k - 1];
                lost.add(before[w], name, describeWrite(previous, holder, token, before) + " and "
                        + describeWrite(w, holder, token, before) + " were both accepted: one overwrote the other");
            }
            if (maxTokenWrite >= 0 && token[w] < token[maxTokenWrite]) {
                fencing.add(before[w], name, describeWrite(w, holder, token, before) + " was accepted after "
                        + describeWrite(maxTokenWrite, holder, token, before)
                        + ": a stale holder's write got through");
            }
            if (maxTokenWrite < 0 || token[w] > token[maxTokenWrite]) {
                maxTokenWrite = w;
            }
        }
        if (checkFinal && finalValue != initialValue + n) {
            long expected = initialValue + n;
            lost.add(Long.MAX_VALUE, "", "the register ends at " + finalValue + " but started at " + initialValue
                    + " with " + n + " accepted writes, so it should be " + expected + ": "
                    + (finalValue < expected ? (expected - finalValue) + " increment(s) lost"
                    : (finalValue - expected) + " increment(s) more than recorded (an accepted write not recorded?)"));
        }
        return new Report(fencing.build(), lost.build(), reused.build(), unheld.build(), timeline.acquisitions, n,
                timeline.tokenHolders.size(), timeline.maxHolders, Duration.ofNanos(timeline.longestGapNanos()),
                timeline.openGap, checkFinal ? finalValue : null);
    }

    private String describeWrite(int w, int[] holder, long[] token, long[] before) {
        return "the write by " + holders.name(holder[w]) + " with token " + token[w] + " at register value "
                + before[w];
    }

    private String names(Set<Integer> ids) {
        return ids.stream().map(holders::name).sorted().toList().toString();
    }

    private void event(byte type, String holder, long token) {
        int id = holders.intern(Objects.requireNonNull(holder, "holder"));
        synchronized (timelineLock) {
            if (events == times.length) {
                int capacity = events + (events >> 1);
                times = Arrays.copyOf(times, capacity);
                types = Arrays.copyOf(types, capacity);
                eventHolders = Arrays.copyOf(eventHolders, capacity);
                eventTokens = Arrays.copyOf(eventTokens, capacity);
            }
            times[events] = clock.getAsLong();
            types[events] = type;
            eventHolders[events] = id;
            eventTokens[events] = token;
            events++;
        }
    }

    /** The lock's timeline replayed: who acquired which token, concurrency, free-while-waiting gaps. */
    private static final class Timeline {
        final Map<Long, Set<Integer>> tokenHolders = new HashMap<>();
        long acquisitions;
        int maxHolders;
        long longestClosedGap;
        long openGapStart = -1;
        long now;
        boolean openGap;

        long longestGapNanos() {
            return openGap ? Math.max(longestClosedGap, now - openGapStart) : longestClosedGap;
        }
    }

    private Timeline timeline() {
        Timeline result = new Timeline();
        synchronized (timelineLock) {
            Map<Long, Integer> held = new HashMap<>();
            Set<Integer> waiters = new HashSet<>();
            for (int i = 0; i < events; i++) {
                int holder = eventHolders[i];
                long token = eventTokens[i];
                switch (types[i]) {
                    case WAITING -> waiters.add(holder);
                    case STOPPED_WAITING -> waiters.remove(holder);
                    case ACQUIRED -> {
                        waiters.remove(holder);
                        held.put(token, holder);
                        result.acquisitions++;
                        result.maxHolders = Math.max(result.maxHolders, held.size());
                        result.tokenHolders.computeIfAbsent(token, t -> new HashSet<>()).add(holder);
                    }
                    default -> held.remove(token);
                }
                boolean free = held.isEmpty() && !waiters.isEmpty();
                if (free && result.openGapStart < 0) {
                    result.openGapStart = times[i];
                } else if (!free && result.openGapStart >= 0) {
                    result.longestClosedGap = Math.max(result.longestClosedGap, times[i] - result.openGapStart);
                    result.openGapStart = -1;
                }
            }
            result.openGap = result.openGapStart >= 0;
            result.now = clock.getAsLong();
        }
        return result;
    }

    /**
     * The verdict of a {@link FencingChecker}: findings {@link #fencingViolations()}, {@link #lostIncrements()},
     * {@link #reusedTokens()} and {@link #unheldWrites()}, plus counts and the longest acquisition gap. Immutable.
     */
    public static final class Report extends CheckReport {

        private final Findings fencingViolations;
        private final Findings lostIncrements;
        private final Findings reusedTokens;
        private final Findings unheldWrites;
        private final long acquisitions;
        private final long acceptedWrites;
        private final long tokens;
        private final int maxConcurrentHolders;
        private final Duration longestAcquisitionGap;
        private final boolean gapStillOpen;
        private final Long finalValue;

        Report(Findings fencingViolations, Findings lostIncrements, Findings reusedTokens, Findings unheldWrites,
               long acquisitions, long acceptedWrites, long tokens, int maxConcurrentHolders,
               Duration longestAcquisitionGap, boolean gapStillOpen, Long finalValue) {
            super("FencingChecker", List.of(fencingViolations, lostIncrements, reusedTokens, unheldWrites));
            this.fencingViolations = fencingViolations;
            this.lostIncrements = lostIncrements;
            this.reusedTokens = reusedTokens;
            this.unheldWrites = unheldWrites;
            this.acquisitions = acquisitions;
            this.acceptedWrites = acceptedWrites;
            this.tokens = tokens;
            this.maxConcurrentHolders = maxConcurrentHolders;
            this.longestAcquisitionGap = longestAcquisitionGap;
            this.gapStillOpen = gapStillOpen;
            this.finalValue = finalValue;
        }

        /** {@return writes accepted with a token lower than an earlier accepted write's} */
        public Findings fencingViolations() {
            return fencingViolations;
        }

        /** {@return writes accepted at the same register value, writes not adding 1, and a wrong final value} */
        public Findings lostIncrements() {
            return lostIncrements;
        }

        /** {@return tokens acquired by, or used for writes by, more than one holder} */
        public Findings reusedTokens() {
            return reusedTokens;
        }

        /** {@return accepted writes whose token nobody acquired} */
        public Findings unheldWrites() {
            return unheldWrites;
        }

        /** {@return how many acquisitions were recorded} */
        public long acquisitions() {
            return acquisitions;
        }

        /** {@return how many accepted writes were recorded} */
        public long acceptedWrites() {
            return acceptedWrites;
        }

        /** {@return the most holders that believed they held the lock at the same moment (2+ is harmless if fenced)} */
        public int maxConcurrentHolders() {
            return maxConcurrentHolders;
        }

        /**
         * {@return the longest time the lock was free while someone waited} See
         * {@link FencingChecker#acquisitionGaps()}.
         */
        public Duration longestAcquisitionGap() {
            return longestAcquisitionGap;
        }

        /**
         * Throws if the lock was ever free for longer than {@code bound} while someone waited, e.g.
         * {@code assertAcquirableWithin(ttl.plusSeconds(1))} after killing a holder.
         *
         * @param bound the longest acceptable gap
         * @throws AssertionError if {@link #longestAcquisitionGap()} exceeds {@code bound}
         */
        public void assertAcquirableWithin(Duration bound) {
            if (longestAcquisitionGap.compareTo(bound) > 0) {
                throw new AssertionError("FencingChecker: the lock stayed free for " + seconds(longestAcquisitionGap)
                        + (gapStillOpen ? " (and still is)" : "") + " while someone waited, more than "
                        + seconds(bound) + ": " + summary());
            }
        }

        @Override
        public String summary() {
            return count(acquisitions, "acquisition") + " of " + count(tokens, "token") + ", "
                    + count(acceptedWrites, "accepted write") + ", "
                    + fencingViolations.count() + " fencing violations, "
                    + lostIncrements.count() + " lost increments, "
                    + reusedTokens.count() + " reused tokens, "
                    + unheldWrites.count() + " unheld writes, max " + count(maxConcurrentHolders, "holder")
                    + " at once, longest free-while-waiting gap " + seconds(longestAcquisitionGap)
                    + (gapStillOpen ? " (still open)" : "") + ", "
                    + (finalValue == null ? "final register value not checked" : "final register value " + finalValue);
        }

        private static String seconds(Duration duration) {
            return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
        }
    }
}
