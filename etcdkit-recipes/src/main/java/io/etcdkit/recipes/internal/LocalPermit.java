package io.etcdkit.recipes.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fair permit held by one user at a time inside this process, taken without parking a thread: {@link #acquire()}
 * returns a future that completes when the permit is this caller's, in the order the calls were made. Cancelling
 * that future withdraws the request (or, when it raced with the grant, gives the permit on). No lock is held while
 * a waiter's future completes, so its continuations may call etcd.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
public final class LocalPermit {
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private boolean taken;

    /**
     * Asks for the permit.
     *
     * @return completes (on the releasing thread) when the permit is the caller's; cancel it to withdraw
     */
    public CompletableFuture<Void> acquire() {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (waiting) {
            if (!taken && waiting.isEmpty()) {
                taken = true;
                turn.complete(null);
                return turn;
            }
            waiting.add(turn);
        }
        turn.whenComplete((v, e) -> {
            if (turn.isCancelled()) {
                synchronized (waiting) {
                    waiting.remove(turn);
                }
            }
        });
        return turn;
    }

    /**
     * Takes the permit only if it is free and nobody waits for it.
     *
     * @return whether the permit is now the caller's
     */
    public boolean tryAcquire() {
        synchronized (waiting) {
            if (!taken && waiting.isEmpty()) {
                taken = true;
                return true;
            }
            return false;
        }
    }

    /**
     * Waits for the permit, parking the calling thread at most until {@code deadlineNanos}.
     *
     * @param deadlineNanos a {@link System#nanoTime()} instant
     * @return whether the permit is now the caller's (false at the deadline)
     * @throws InterruptedException when the thread is interrupted (the request is then withdrawn)
     */
    public boolean acquire(long deadlineNanos) throws InterruptedException {
        CompletableFuture<Void> turn = acquire();
        try {
            turn.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return withdraw(turn);
        } catch (InterruptedException e) {
            if (withdraw(turn)) {
                release();
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a local permit never fails", e);
        }
    }

    /** Cancels a request; true when it had been granted meanwhile (the permit is then the caller's). */
    private static boolean withdraw(CompletableFuture<Void> turn) {
        return !turn.cancel(false) && !turn.isCancelled();
    }

    /** Gives the permit to the longest waiting request, or frees it. */
    public void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    taken = false;
                    return;
                }
            }
            if (next.complete(null)) {
                return;
            }
            // that request was cancelled meanwhile: try the next one
        }
    }
}
