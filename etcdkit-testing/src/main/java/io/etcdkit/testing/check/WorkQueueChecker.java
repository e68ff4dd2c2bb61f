package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges a work queue run (at-least-once processing, exactly-once acknowledgement, dead letters) from what
 * producers and consumers recorded and what the store held at the end.
 *
 * <p><b>Recording.</b> Producers call {@link #added} once per item (with its priority and the producer's own
 * sequence number, for the FIFO check). Consumers call {@link #claimed} for every claim they were given (with the
 * claim's fencing token), {@link #acked} for every acknowledgement the queue <em>accepted</em> and
 * {@link #nacked} for every accepted return. After the run, with every consumer stopped and the queue drained,
 * the test records each dead letter the store holds with {@link #deadLetter} and each item still in the queue
 * with {@link #leftInQueue}. Claims made by a process killed before it could record them are simply missing;
 * the checks tolerate that (they only use what was recorded as a lower bound).
 *
 * <p><b>What is judged</b> (see {@link Report}):
 * <ul>
 *   <li><i>duplicate acks</i>: an item acknowledged more than once;</li>
 *   <li><i>stale acks</i>: an accepted ack or nack with a token that was not the holder's own claim of the item,
 *       or an accepted ack whose token is older than another claim of the item (the claim had expired and the
 *       item was handed to someone else, yet the old holder's ack got through);</li>
 *   <li><i>lost items</i>: an added item neither acknowledged nor dead-lettered nor left in the queue;</li>
 *   <li><i>unprocessed acks</i>: an ack or dead letter for an item never added, or an item acknowledged without
 *       a recorded claim;</li>
 *   <li><i>wrong dead letters</i>: a dead letter whose attempt count is not the limit, an item both acknowledged
 *       and dead-lettered, or an acknowledged item with more failed deliveries recorded than the limit allows;</li>
 *   <li><i>FIFO violations</i> (only with {@link #expectFifo}): among items of one priority from one producer, an
 *       item first claimed with a lower token than an item the producer added before it.</li>
 * </ul>
 *
 * <p>Thread-safe; about 100 bytes per item.
 */
public final class WorkQueueChecker {
    private final int maxAttempts;
    private final Map<String, Item> items = new HashMap<>();
    private final Map<String, Integer> deadLetters = new HashMap<>();
    private final List<String> leftInQueue = new ArrayList<>();
    private final List<String> unknownItems = new ArrayList<>();
    private boolean expectFifo;

    private static final class Item {
        String producer;
        int priority;
        long sequence = -1;
        final List<long[]> claims = new ArrayList<>(2); // {token, consumer hash}
        final List<String> claimers = new ArrayList<>(2);
        final List<Long> ackTokens = new ArrayList<>(1);
        final List<String> ackers = new ArrayList<>(1);
        final List<Long> nackTokens = new ArrayList<>(1);
        final List<String> nackers = new ArrayList<>(1);
        final List<Long> unknownAckTokens = new ArrayList<>(0);
        final List<String> unknownAckers = new ArrayList<>(0);
    }

    /**
     * A checker for a queue that dead-letters an item after {@code maxAttempts} failed deliveries.
     *
     * @param maxAttempts the queue's limit
     */
    public WorkQueueChecker(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /**
     * Also check FIFO order per priority and producer (only for queues whose contract is strict FIFO).
     *
     * @return this checker
     */
    public synchronized WorkQueueChecker expectFifo() {
        this.expectFifo = true;
        return this;
    }

    /**
     * Records an item added.
     *
     * @param id the item's id
     * @param producer who added it
     * @param priority its priority (0 if the queue has none)
     * @param sequence the producer's count of adds so far (its order)
     */
    public synchronized void added(String id, String producer, int priority, long sequence) {
        Item item = item(id);
        item.producer = Objects.requireNonNull(producer, "producer");
        item.priority = priority;
        item.sequence = sequence;
    }

    /**
     * Records a claim a consumer was given.
     *
     * @param id the item
     * @param consumer the consumer
     * @param token the claim's fencing token
     */
    public synchronized void claimed(String id, String consumer, long token) {
        Item item = item(id);
        item.claims.add(new long[] {token});
        item.claimers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    /**
     * Records an acknowledgement the queue accepted.
     *
     * @param id the item
     * @param consumer the consumer
     * @param token the token of the claim it acknowledged
     */
    public synchronized void acked(String id, String consumer, long token) {
        Item item = item(id);
        item.ackTokens.add(token);
        item.ackers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    /**
     * Records an acknowledgement whose answer was never recorded (its process was killed while acknowledging).
     * It counts as the item's acknowledgement only if nothing else accounts for the item (no recorded ack, no
     * dead letter, not left in the queue): the store shows the item gone, and only an ack removes an item that is
     * not dead. Its token is then judged like any ack's. The report counts these.
     *
     * @param id the item
     * @param consumer the consumer
     * @param token the token of the claim it tried to acknowledge
     */
    public synchronized void ackOutcomeUnknown(String id, String consumer, long token) {
        Item item = item(id);
        item.unknownAckTokens.add(token);
        item.unknownAckers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    /**
     * Records a return (nack) the queue accepted.
     *
     * @param id the item
     * @param consumer the consumer
     * @param token the token of the claim it returned
     */
    public synchronized void nacked(String id, String consumer, long token) {
        Item item = item(id);
        item.nackTokens.add(token);
        item.nackers.add(Objects.requireNonNull(consumer, "consumer"));
    }

    /**
     * Records a dead letter found in the store at the end.
     *
     * @param id the item
     * @param attempts the failed deliveries the store counted
     */
    public synchronized void deadLetter(String id, int attempts) {
        deadLetters.put(id, attempts);
    }

    /**
     * Records an item still in the queue at the end (pending or claimed).
     *
     * @param id the item
     */
    public synchronized void leftInQueue(String id) {
        leftInQueue.add(id);
    }

    private Item item(String id) {
        return items.computeIfAbsent(Objects.requireNonNull(id, "id"), k -> new Item());
    }

    /**
     * Judges everything recorded.
     *
     * @return the report
     */
    public synchronized Report check() {
        FindingsCollector duplicate = new FindingsCollector("duplicate acks");
        FindingsCollector stale = new FindingsCollector("stale acks");
        FindingsCollector lost = new FindingsCollector("lost items");
        FindingsCollector unprocessed = new FindingsCollector("unprocessed acks");
        FindingsCollector wrongDead = new FindingsCollector("wrong dead letters");
        FindingsCollector fifo = new FindingsCollector("FIFO violations");
        long added = 0;
        long acked = 0;
        long redelivered = 0;
        long claims = 0;
        long resolvedUnknown = 0;
        java.util.Set<String> left = new java.util.HashSet<>(leftInQueue);
        for (Map.Entry<String, Item> e : items.entrySet()) {
            String id = e.getKey();
            Item item = e.getValue();
            claims += item.claims.size();
            redelivered += Math.max(0, item.claims.size() - 1);
            boolean wasAdded = item.sequence >= 0;
            if (item.ackTokens.isEmpty() && !item.unknownAckTokens.isEmpty() && !deadLetters.containsKey(id)
                    && !left.contains(id)) {
                item.ackTokens.add(item.unknownAckTokens.get(0)); // the only way the item can have gone
                item.ackers.add(item.unknownAckers.get(0));
                item.unknownAckTokens.clear();
                item.unknownAckers.clear();
                resolvedUnknown++;
            }
            if (wasAdded) {
                added++;
            }
            acked += item.ackTokens.size() > 0 ? 1 : 0;
            if (item.ackTokens.size() > 1) {
                duplicate.add(0, id, "item " + id + " acknowledged " + item.ackTokens.size() + " times, by "
                        + item.ackers + " with tokens " + item.ackTokens);
            }
            long maxToken = item.claims.stream().mapToLong(c -> c[0]).max().orElse(-1);
            for (int i = 0; i < item.ackTokens.size(); i++) {
                long token = item.ackTokens.get(i);
                String who = item.ackers.get(i);
                if (!heldBy(item, token, who)) {
                    boolean claimedAtAll = item.claims.stream().anyMatch(c -> c[0] == token);
                    (claimedAtAll ? stale : unprocessed).add(token, id, "item " + id + " acknowledged by " + who
                            + " with token " + token + (claimedAtAll ? " claimed by someone else"
                            : " that no recorded claim carried"));
                } else if (token < maxToken) {
                    stale.add(token, id, "item " + id + " acknowledged by " + who + " with token " + token
                            + " after it was claimed again with token " + maxToken);
                }
            }
            for (int i = 0; i < item.nackTokens.size(); i++) {
                long token = item.nackTokens.get(i);
                if (!heldBy(item, token, item.nackers.get(i))) {
                    stale.add(token, id, "item " + id + " returned by " + item.nackers.get(i) + " with token "
                            + token + " it did not hold");
                }
            }
            boolean dead = deadLetters.containsKey(id);
            if (!wasAdded && (!item.ackTokens.isEmpty() || dead)) {
                unprocessed.add(0, id, "item " + id + (dead ? " dead-lettered" : " acknowledged")
                        + " but never added");
            }
            if (wasAdded && item.ackTokens.isEmpty() && !dead && !left.contains(id)) {
                lost.add(item.sequence, id, "item " + id + " from " + item.producer + " (#" + item.sequence
                        + ") was neither acknowledged nor dead-lettered nor left in the queue ("
                        + item.claims.size() + " recorded claims)");
            }
            if (dead && !item.ackTokens.isEmpty()) {
                wrongDead.add(0, id, "item " + id + " was acknowledged and also dead-lettered");
            }
            if (dead && deadLetters.get(id) != maxAttempts) {
                wrongDead.add(0, id, "dead letter " + id + " counts " + deadLetters.get(id)
                        + " failed attempts, the limit is " + maxAttempts);
            }
            if (dead && item.claims.size() > maxAttempts) {
                wrongDead.add(0, id, "dead letter " + id + " was delivered " + item.claims.size()
                        + " times, more than the limit " + maxAttempts);
            }
            if (!item.ackTokens.isEmpty() && item.claims.size() > maxAttempts) {
                wrongDead.add(0, id, "item " + id + " was delivered " + item.claims.size() + " times before its ack; "
                        + "after " + maxAttempts + " failures it should have been dead-lettered");
            }
        }
        for (String id : deadLetters.keySet()) {
            if (!items.containsKey(id)) {
                unprocessed.add(0, id, "dead letter " + id + " for an item never added");
            }
        }
        if (expectFifo) {
            checkFifo(fifo);
        }
        return new Report(List.of(duplicate.build(), stale.build(), lost.build(), unprocessed.build(),
                wrongDead.build(), fifo.build()), added, claims, acked, redelivered, deadLetters.size(),
                leftInQueue.size(), resolvedUnknown);
    }

    private static boolean heldBy(Item item, long token, String who) {
        for (int i = 0; i < item.claims.size(); i++) {
            if (item.claims.get(i)[0] == token && item.claimers.get(i).equals(who)) {
                return true;
            }
        }
        return false;
    }

    private void checkFifo(FindingsCollector fifo) {
        Map<String, List<Map.Entry<String, Item>>> lines = new HashMap<>();
        for (Map.Entry<String, Item> e : items.entrySet()) {
            Item item = e.getValue();
            if (item.sequence >= 0 && !item.claims.isEmpty()) {
                lines.computeIfAbsent(item.producer + "/" + item.priority, k -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<Map.Entry<String, Item>>> line : lines.entrySet()) {
            List<Map.Entry<String, Item>> byAdd = line.getValue();
            byAdd.sort((a, b) -> Long.compare(a.getValue().sequence, b.getValue().sequence));
            long highest = Long.MIN_VALUE;
            String highestId = null;
            for (Map.Entry<String, Item> e : byAdd) {
                long first = e.getValue().claims.stream().mapToLong(c -> c[0]).min().orElseThrow();
                if (first < highest) {
                    fifo.add(first, e.getKey(), "item " + e.getKey() + " (" + line.getKey() + " #"
                            + e.getValue().sequence + ") was first taken with token " + first + ", before "
                            + highestId + " added earlier (token " + highest + ")");
                }
                if (first > highest) {
                    highest = first;
                    highestId = e.getKey();
                }
            }
        }
    }

    /** The verdict of a {@link WorkQueueChecker}: six kinds of findings plus counts. Immutable. */
    public static final class Report extends CheckReport {
        private final long added;
        private final long claims;
        private final long acked;
        private final long redelivered;
        private final long dead;
        private final long left;
        private final long unknownAcks;

        Report(List<Findings> findings, long added, long claims, long acked, long redelivered, long dead, long left,
                long unknownAcks) {
            super("WorkQueueChecker", findings);
            this.added = added;
            this.claims = claims;
            this.acked = acked;
            this.redelivered = redelivered;
            this.dead = dead;
            this.left = left;
            this.unknownAcks = unknownAcks;
        }

        /** {@return acknowledgements with an unrecorded answer that were counted to account for their item} */
        public long unknownAcksCounted() {
            return unknownAcks;
        }

        /** {@return items recorded as added} */
        public long added() {
            return added;
        }

        /** {@return claims recorded} */
        public long claims() {
            return claims;
        }

        /** {@return items acknowledged (at least once)} */
        public long acked() {
            return acked;
        }

        /** {@return recorded deliveries beyond each item's first} */
        public long redelivered() {
            return redelivered;
        }

        /** {@return dead letters recorded} */
        public long dead() {
            return dead;
        }

        /** {@return the number of violations of every kind together} */
        public long violations() {
            return findings().stream().mapToLong(Findings::count).sum();
        }

        @Override
        public String summary() {
            return count(added, "item") + " added, " + count(claims, "claim") + ", " + acked + " acked, "
                    + redelivered + " redelivered, " + dead + " dead, " + left + " left in the queue, " + unknownAcks
                    + " acks with unrecorded answers counted, "
                    + violations() + " violations";
        }
    }
}
