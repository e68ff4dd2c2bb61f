package io.etcdkit.recipes.workqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link WorkConsumer#claimBatchAsync(int, Duration)}: the steps of the blocking claim, each started from the
 * previous one's callback. A pass over the head of the queue; if it claimed nothing, a key in the queue's line of
 * waiters and a second pass (for what was queued before the key existed); then a wait for a wake-up, the session's
 * end or the deadline (a timer, no parked thread), and the next pass. Cancelling the result withdraws the claim: the
 * waiter leaves the line, a wake-up it received is passed on, and claims that arrive afterwards are given back.
 * One instance per call.
 */
final class AsyncClaim<T> {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncClaim.class);

    private final WorkConsumer consumer;
    private final ClaimPass pass;
    private final ClaimWatcher watcher;
    private final int max;
    private final long deadline;
    /** What the caller gets for the claims: the list itself, or the one claim of a single claim. */
    private final Function<List<Claim>, T> answer;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    /** The wait in progress, if any; cancelling the result ends it. */
    private final AtomicReference<CompletableFuture<Boolean>> wait = new AtomicReference<>();

    AsyncClaim(WorkConsumer consumer, ClaimPass pass, ClaimWatcher watcher, int max, long timeoutNanos,
            Function<List<Claim>, T> answer) {
        this.answer = answer;
        this.consumer = consumer;
        this.pass = pass;
        this.watcher = watcher;
        this.max = max;
        this.deadline = System.nanoTime() + timeoutNanos;
    }

    /**
     * Starts the claim. The returned future is the one its claims complete (no dependent stage in between), so a
     * cancel that wins against them is seen, and they go back to the queue.
     */
    CompletableFuture<T> start() {
        result.whenComplete((claims, error) -> {
            CompletableFuture<Boolean> w = wait.get();
            if (w != null) {
                w.complete(false); // cancelled while waiting: leave the line now
            }
        });
        next();
        return result;
    }

    /** A pass; if it found nothing and there is time left, stand in line. */
    private void next() {
        if (result.isDone()) {
            return;
        }
        try {
            consumer.ensureOpen();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        pass.runAsync(max).whenComplete((attempt, error) -> step(() -> {
            if (error != null) {
                result.completeExceptionally(WorkQueue.unwrap(error));
            } else if (!attempt.claims().isEmpty() || WorkConsumer.waitNanos(deadline, attempt) <= 0) {
                deliver(attempt.claims());
            } else {
                standInLine();
            }
        }));
    }

    private void standInLine() {
        if (result.isDone()) {
            return;
        }
        watcher.registerAsync(consumer.session()).whenComplete((waiter, error) -> step(() -> {
            if (error != null) {
                result.completeExceptionally(WorkQueue.unwrap(error));
                return;
            }
            if (result.isDone()) {
                watcher.unregister(waiter, false); // cancelled meanwhile
                return;
            }
            pass.runAsync(max).whenComplete((attempt, failed) -> step(() -> { // queued before the key existed
                if (failed != null) {
                    watcher.unregister(waiter, false);
                    result.completeExceptionally(WorkQueue.unwrap(failed));
                    return;
                }
                long nanos = WorkConsumer.waitNanos(deadline, attempt);
                if (!attempt.claims().isEmpty() || nanos <= 0) {
                    watcher.unregister(waiter, false);
                    deliver(attempt.claims());
                } else {
                    await(waiter, nanos);
                }
            }));
        }));
    }

    /** Completes {@code w} with true at a wake-up or the session's end, at the timeout; false when cancelled. */
    private void await(ClaimWatcher.Waiter waiter, long nanos) {
        CompletableFuture<Boolean> w = new CompletableFuture<>();
        wait.set(w);
        consumer.waitForWakeUp(waiter).whenComplete((id, e) -> w.complete(true));
        w.completeOnTimeout(true, nanos, TimeUnit.NANOSECONDS);
        if (result.isDone()) {
            w.complete(false); // cancelled between the pass and the wait
        }
        w.thenAccept(looksAgain -> step(() -> {
            wait.compareAndSet(w, null);
            consumer.stopWaiting(waiter);
            boolean again = looksAgain && !result.isDone();
            watcher.unregister(waiter, again);
            if (again) {
                next(); // woken, the session ended, or the time is up: a pass once more, as the blocking form does
            }
        }));
    }

    /** Runs one step from a callback; what it throws fails the claim (a callback's exception would vanish). */
    private void step(Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Completes the result; claims that find it cancelled go back to the queue. */
    private void deliver(List<Claim> claims) {
        if (result.complete(answer.apply(claims))) {
            return;
        }
        for (Claim claim : claims) {
            pass.giveBackAsync(claim).whenComplete((back, error) -> {
                if (error != null || !back) {
                    LOG.warn("work queue: could not give back {} claimed for a cancelled claim ({}); it is "
                            + "delivered again when the session ends", claim, error != null ? error : "not held");
                }
            });
        }
    }
}
