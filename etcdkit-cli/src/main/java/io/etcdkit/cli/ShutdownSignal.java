package io.etcdkit.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a foreground command (one that runs until Ctrl-C) end cleanly. Ctrl-C (SIGINT) or SIGTERM start the JVM's
 * shutdown; this hook then interrupts the command's thread and holds the shutdown until the command has cleaned
 * up (stopped its etcd members, released its lock, revoked its lease) and closed this signal, for at most
 * {@link #CLEAN_UP_LIMIT}. The JVM then exits with 130 (SIGINT) or 143 (SIGTERM).
 *
 * <p>Commands therefore handle one thing, an interrupt of their thread, which is also how an in-process caller
 * (a test) stops them. Close it when the command is done, in every case.
 */
final class ShutdownSignal implements AutoCloseable {
    /** How long the shutdown waits for the command's clean-up. */
    static final Duration CLEAN_UP_LIMIT = Duration.ofSeconds(30);

    private final Thread hook;
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private ShutdownSignal(Thread worker) {
        this.hook = new Thread(() -> {
            worker.interrupt();
            try {
                cleanedUp.await(CLEAN_UP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "etcdkit-shutdown");
    }

    /** Routes the shutdown to the calling thread until {@link #close()}. */
    static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /** The command has cleaned up: a shutdown in progress may complete, and later ones no longer interrupt. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the shutdown is already running (that is why we are closing); nothing to remove
        }
    }
}
