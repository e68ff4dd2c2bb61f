package io.etcdkit.internal;

import io.etcdkit.EtcdException;
import io.etcdkit.OutcomeUnknownException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Waits for futures on behalf of the blocking API, rethrowing the typed {@link EtcdException} that failed them
 * (with the caller's stack added as a suppressed trace). Waiting parks the thread without pinning a virtual
 * thread.
 */
public final class Futures {
    private Futures() {}

    /** The future's value, or its failure as an unchecked exception. Interruption cancels the wait. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted while waiting for etcd; the operation may still complete", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new EtcdException("the operation was cancelled", e);
        }
    }

    /**
     * Like {@link #await}, for a write: interruption of the wait is an {@link OutcomeUnknownException}, since the
     * write may already be on its way and may still be applied.
     */
    public static <T> T awaitWrite(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutcomeUnknownException("interrupted while waiting for a write; it may or may not be applied."
                    + " Read the affected keys to learn the outcome before writing again", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (CancellationException e) {
            throw new EtcdException("the operation was cancelled", e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        Throwable c = unwrap(cause);
        if (c instanceof RuntimeException r) {
            r.addSuppressed(new CallerStack());
            return r;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return new EtcdException(String.valueOf(c.getMessage()), c);
    }

    /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A failed future. */
    public static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    /** Marks where a blocking caller waited, since the failure itself was raised on another thread. */
    private static final class CallerStack extends Exception {
        CallerStack() {
            super("the blocking call that received this error");
        }
    }
}
