package io.etcdkit.watch;

import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.DeleteResult;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer side of a watch fault test: one thread puts (distinct values) and sometimes deletes ~50 keys under a
 * prefix, as fast as the cluster acknowledges, and records in each checker every acknowledged write (with the
 * revision of its response) and every delete that deleted something. A write refused as surely not applied
 * (unavailable, no leader, deadline before sending) is not recorded: if it shows up in the watch anyway, the
 * checker reports it as unexpected.
 *
 * <p>Writes whose outcome is unknown are recorded by {@link #fence()}, after the writer has stopped and the fault
 * is over. The write in flight when a member dies is the one most likely to sit at exactly the revision a resumed
 * watch must start from, so leaving it "unknown" would hide an off-by-one resume whenever it was later
 * overwritten. Hence each unknown put is first looked up in the store (its key just before the writer's next
 * acknowledged write to that key, and at the end): found with its distinct value, it was applied at that
 * modification revision and is recorded as acknowledged there; otherwise it stays unknown.
 */
final class FaultWriter {
    static final int KEYS = 50;

    private final EtcdClient client;
    private final String prefix;
    private final List<WatchDeliveryChecker> checkers;
    private final Random random;
    private final Thread thread;
    private volatile boolean stopping;
    // Guarded by this:
    private long acked;
    private long lastAckRevision;
    private long unknown;
    private long refused;
    private long resolved;
    private long seq;
    private Throwable failure;
    /** Every write attempted, in order (for resolving unknown outcomes). */
    private final List<Op> ops = new ArrayList<>();

    /** One attempted write; {@code revision} is 0 unless acknowledged. */
    private record Op(String key, String value, boolean unknown, long revision) {
    }

    FaultWriter(String name, EtcdClient client, String prefix, long seed, WatchDeliveryChecker... checkers) {
        this.client = client;
        this.prefix = prefix;
        this.checkers = List.of(checkers);
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "watch-fault-writer-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!stopping) {
            String key = prefix + String.format("k%02d", random.nextInt(KEYS));
            boolean delete = random.nextInt(6) == 0;
            String value;
            synchronized (this) {
                value = delete ? null : "v" + (++seq);
            }
            try {
                if (delete) {
                    DeleteResult r = client.kv().delete(key);
                    if (r.deleted() > 0) {
                        acknowledged(key, r.revision(), WatchDeliveryChecker.Kind.DELETE, null);
                    } else {
                        log(new Op(key, null, false, 0));
                    }
                } else {
                    PutResult r = client.kv().put(key, value);
                    acknowledged(key, r.revision(), WatchDeliveryChecker.Kind.PUT, value);
                }
            } catch (OutcomeUnknownException e) {
                synchronized (this) {
                    unknown++;
                    ops.add(new Op(key, value, true, 0));
                }
            } catch (EtcdException e) {
                synchronized (this) {
                    refused++;
                    ops.add(new Op(key, value, false, 0));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // back off; the cluster is recovering
            } catch (Throwable t) {
                synchronized (this) {
                    failure = t;
                    notifyAll();
                }
                return;
            }
        }
    }

    private void acknowledged(String key, long revision, WatchDeliveryChecker.Kind kind, String value) {
        checkers.forEach(c -> c.acknowledged(key, revision, kind, value));
        synchronized (this) {
            ops.add(new Op(key, value, false, revision));
            acked++;
            lastAckRevision = Math.max(lastAckRevision, revision);
            notifyAll();
        }
    }

    private synchronized void log(Op op) {
        ops.add(op);
    }

    synchronized long acked() {
        return acked;
    }

    /**
     * Waits (at most {@link WatchFaultTest#WAIT}) until {@code count} writes have been acknowledged; returns the
     * highest acknowledged revision.
     */
    synchronized long awaitAcks(long count) {
        long end = System.nanoTime() + WatchFaultTest.WAIT.toNanos();
        while (acked < count) {
            if (failure != null) {
                throw new AssertionError("the writer failed", failure);
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the writer got only " + acked + " of " + count + " writes acknowledged in "
                        + WatchFaultTest.WAIT.toSeconds() + " s (" + describe() + ")");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return lastAckRevision;
    }

    /** Stops the writer thread (idempotent) and waits for it. */
    void stop() {
        stopping = true;
        try {
            thread.join(WatchFaultTest.WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("the writer did not stop within " + WatchFaultTest.WAIT);
        }
        synchronized (this) {
            if (failure != null) {
                throw new AssertionError("the writer failed", failure);
            }
        }
    }

    /**
     * After {@link #stop()} and once the fault is over: one more acknowledged put under the prefix, so every
     * earlier write is below its revision, then records the writes whose outcome was unknown (see the class
     * comment). Returns the fence's revision: the end of the judged window.
     */
    long fence() {
        long to = 0;
        for (int attempt = 1; attempt <= 5 && to == 0; attempt++) {
            String key = prefix + "fence";
            String value = "fence" + attempt;
            try {
                to = client.kv().put(key, value).revision();
                acknowledged(key, to, WatchDeliveryChecker.Kind.PUT, value);
            } catch (OutcomeUnknownException e) {
                synchronized (this) {
                    unknown++;
                    ops.add(new Op(key, value, true, 0));
                }
            }
        }
        if (to == 0) {
            throw new AssertionError("no fence write was acknowledged in 5 attempts");
        }
        List<Op> all;
        synchronized (this) {
            all = List.copyOf(ops);
        }
        for (int i = 0; i < all.size(); i++) {
            Op op = all.get(i);
            if (!op.unknown()) {
                continue;
            }
            long applied = op.value() == null ? 0 : appliedAt(op, nextAcknowledged(all, i), to);
            if (applied > 0) {
                checkers.forEach(c -> c.acknowledged(op.key(), applied, WatchDeliveryChecker.Kind.PUT, op.value()));
                synchronized (this) {
                    resolved++;
                }
            } else {
                checkers.forEach(c -> c.unknown(op.key(), op.value()));
            }
        }
        return to;
    }

    /** The revision of the first acknowledged write to the same key after {@code all[i]}, or 0. */
    private static long nextAcknowledged(List<Op> all, int i) {
        String key = all.get(i).key();
        for (int j = i + 1; j < all.size(); j++) {
            if (all.get(j).key().equals(key) && all.get(j).revision() > 0) {
                return all.get(j).revision();
            }
        }
        return 0;
    }

    /** Where an unknown put is seen in the store with its (distinct) value, or 0 if it is not seen. */
    private long appliedAt(Op op, long nextAck, long to) {
        for (long at : nextAck > 0 ? new long[] {nextAck - 1, to} : new long[] {to}) {
            try {
                Optional<KeyValue> kv = client.kv().range(Range.key(op.key()).atRevision(at)).first();
                if (kv.isPresent() && kv.get().valueAsString().equals(op.value())) {
                    return kv.get().modRevision();
                }
            } catch (CompactedException e) {
                // That history is gone: the write stays unknown.
            }
        }
        return 0;
    }

    synchronized String describe() {
        return acked + " acknowledged, " + unknown + " outcome unknown (" + resolved + " found applied), " + refused
                + " refused";
    }
}
