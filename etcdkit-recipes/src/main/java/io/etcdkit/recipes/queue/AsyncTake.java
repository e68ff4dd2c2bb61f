package io.etcdkit.recipes.queue;

import io.etcdkit.Bytes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@link DistributedQueue#takeAsync(Duration)}: read the head, remove it if it is still there, else wait in the
 * instance's {@link TakerLine} (a turn future with a timer, no parked thread) and read again when woken or at the
 * deadline. Cancelling the result withdraws the take from the line; a wake-up it had received but not used passes
 * on to the next taker. One instance per call.
 */
final class AsyncTake {
    private final DistributedQueue queue;
    private final TakerLine takers;
    private final long deadline;
    private final boolean bounded;
    private final CompletableFuture<Optional<Bytes>> result = new CompletableFuture<>();
    private final AtomicReference<CompletableFuture<Void>> turn = new AtomicReference<>();

    /**
     * @param timeoutNanos how long to wait for a value; negative: until one comes
     */
    AsyncTake(DistributedQueue queue, TakerLine takers, long timeoutNanos) {
        this.queue = queue;
        this.takers = takers;
        this.bounded = timeoutNanos >= 0;
        this.deadline = System.nanoTime() + Math.max(0, timeoutNanos);
    }

    CompletableFuture<Optional<Bytes>> start() {
        result.whenComplete((v, e) -> {
            CompletableFuture<Void> waiting = turn.get();
            if (waiting != null) {
                waiting.cancel(false); // cancelled while in line: leave it
            }
        });
        next();
        return result;
    }

    private void next() {
        if (result.isDone()) {
            return;
        }
        queue.headAsync().whenComplete((head, error) -> {
            if (error != null) {
                result.completeExceptionally(DistributedQueue.unwrap(error));
            } else if (head.kv() != null) {
                remove(head);
            } else if (bounded && System.nanoTime() - deadline >= 0) {
                result.complete(Optional.empty());
            } else {
                await(head.revision());
            }
        });
    }

    private void remove(DistributedQueue.Head head) {
        if (result.isDone()) {
            return; // cancelled: take nothing
        }
        queue.removeHeadAsync(head).whenComplete((removed, error) -> {
            if (error != null) {
                result.completeExceptionally(DistributedQueue.unwrap(error));
            } else if (removed) {
                result.complete(Optional.of(head.kv().value()));
            } else {
                next(); // another taker won: the next head
            }
        });
    }

    private void await(long readRevision) {
        CompletableFuture<Void> mine = takers.join(readRevision);
        turn.set(mine);
        if (bounded) {
            mine.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        if (result.isDone()) {
            mine.cancel(false); // cancelled between the read and joining
        }
        mine.whenComplete((v, e) -> {
            turn.compareAndSet(mine, null);
            boolean woken = e == null;
            // a wake-up not used (the take was cancelled) goes to the next taker in line
            takers.leave(mine, woken && !result.isDone());
            next(); // woken or at the deadline: read once more, as the blocking form does
        });
    }
}
