package io.etcdkit.recipes.lock;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fair local permit (one holder, the rest in arrival order) that can be waited for with a future as well as
 * by a thread: the turn-taking of one session's users of one queue, blocking and async alike. A waiter whose
 * future was cancelled is skipped; a turn handed to it is passed on. The monitor guards only the queue (no etcd
 * call, no callback runs inside it), so it never pins a virtual thread for long.
 */
final class LocalTurns {
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private boolean taken; // guarded by this

    /** Takes the turn now if it is free and nobody waits; never waits. */
    synchronized boolean tryTake() {
        if (taken || !waiting.isEmpty()) {
            return false;
        }
        taken = true;
        return true;
    }

    /**
     * The turn, when it comes: completed at once when it is free, else when an earlier holder passes it on (on
     * that holder's thread). Cancelling the future leaves the line; a turn it was already given must be
     * {@link #release() released}.
     */
    CompletableFuture<Void> take() {
        synchronized (this) {
            if (!taken && waiting.isEmpty()) {
                taken = true;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            waiting.add(turn);
            return turn;
        }
    }

    /** Waits for the turn until {@code deadlineNanos} ({@link System#nanoTime()}); false when it did not come. */
    boolean take(long deadlineNanos) throws InterruptedException {
        CompletableFuture<Void> turn = take();
        try {
            turn.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !turn.cancel(false); // given meanwhile: the caller has it after all
        } catch (InterruptedException e) {
            if (!turn.cancel(false)) {
                release(); // given meanwhile: pass it on
            }
            throw e;
        } catch (ExecutionException e) {
            throw new AssertionError(e); // never completed exceptionally
        }
    }

    /** Passes the turn to the next live waiter, or frees it. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    taken = false;
                    return;
                }
            }
            if (next.complete(null)) {
                return;
            }
            // cancelled: try the one after it
        }
    }
}
