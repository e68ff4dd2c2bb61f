package io.etcdkit.recipes.internal;

import io.etcdkit.EtcdException;
import java.util.function.Supplier;

/**
 * Blocking client calls report an interrupt as an {@link EtcdException} with the thread's interrupt flag set;
 * recipes whose contract is {@link InterruptedException} convert it here, and run their clean-up with the flag
 * cleared so the clean-up itself is not cut short. Internal to etcdkit's recipes.
 */
public final class Interrupts {
    private Interrupts() {}

    /** Runs a blocking call; an interrupt during it becomes an {@link InterruptedException}. */
    public static <T> T call(Supplier<T> blocking) throws InterruptedException {
        try {
            return blocking.get();
        } catch (EtcdException e) {
            if (Thread.interrupted()) {
                InterruptedException ie = new InterruptedException("interrupted while waiting for etcd");
                ie.initCause(e);
                throw ie;
            }
            throw e;
        }
    }

    /** Runs clean-up with the interrupt flag cleared, then restores it. */
    public static void cleanUp(Runnable cleanUp) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
