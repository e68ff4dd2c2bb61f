package io.etcdkit.zmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The one ZeroMQ context that every publisher and subscriber of this process shares, with one I/O thread and
 * JeroMQ's reaper, opened by the first {@link #acquire()} and terminated by the last {@link #release()}, so no
 * thread outlives the last user.
 *
 * <p>Why one: JeroMQ 0.6.0 sometimes stalls the ZMTP handshake of a TCP connection between two sockets of the same
 * JVM whose ends are served by different I/O threads (two contexts, or a context with two I/O threads): both sides
 * see the TCP connection and neither completes the greeting, so no message ever flows until the handshake
 * interval drops the connection (seen about once in 6 connections with a context per socket, once in 100 with two
 * I/O threads, never in 900 with one).
 *
 * <p>A young context stalls too, against peers in other processes: the first connections of a freshly opened
 * context (what every new process has) miss the peer's greeting in about 1 of 15–30 starts, against Python's
 * libzmq and against JeroMQ alike; with JeroMQ's handshake timer switched off such a connection never completes
 * (the event is lost inside JeroMQ's I/O loop), a long-lived context never showed it (0 in 100). The handshake
 * timer is the only way out, so {@link #HANDSHAKE_INTERVAL} is short: a stalled handshake is dropped and redone
 * after 0.5 s instead of JeroMQ's 30 s. Subscribers report Connected only once a handshake has succeeded.
 *
 * <p>Threads are daemons named {@code etcdkit-zmq-...}, so they can be told apart in dumps and counted by tests.
 */
final class ZmqContexts {
    /** Every thread this module starts has a name beginning with this. */
    static final String THREAD_PREFIX = "etcdkit-zmq-";
    /**
     * A ZMTP handshake not done within this is dropped and the connection retried (JeroMQ's default is 30 s). Two
     * round trips and a few hundred bytes: 0.5 s leaves room for links with up to ~200 ms of round-trip time.
     */
    static final Duration HANDSHAKE_INTERVAL = Duration.ofMillis(500);
    /** How long closing waits for a thread of this module to end once it was told to. */
    static final Duration THREAD_EXIT_WAIT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ZmqContexts.class);

    private static ZMQ.Context context; // guarded by ZmqContexts.class
    private static int users; // guarded by ZmqContexts.class
    private static long generation; // guarded by ZmqContexts.class
    private static List<Thread> threads = new ArrayList<>(); // the current context's threads; guarded by class

    private ZmqContexts() {
    }

    /** The shared context, opened if needed; each call must be paired with one {@link #release()}. */
    static synchronized ZMQ.Context acquire() {
        if (context == null) {
            String prefix = THREAD_PREFIX + (++generation) + "-";
            List<Thread> started = new ArrayList<>();
            threads = started;
            ZMQ.Context ctx = ZMQ.context(1);
            ctx.setThreadFactor((runnable, name) -> {
                Thread t = new Thread(runnable, prefix + name);
                t.setDaemon(true);
                synchronized (started) {
                    started.add(t);
                }
                return t;
            });
            context = ctx;
        }
        users++;
        return context;
    }

    /**
     * Gives up one use; the last one terminates the context and waits (at most {@link #THREAD_EXIT_WAIT}) until its
     * threads have ended, so none is alive when the last publisher or subscriber has closed. JeroMQ's own
     * termination only waits for its threads to signal that they are stopping, not for them to end. The caller
     * must have closed its sockets first, or termination waits for them.
     */
    static synchronized void release() {
        if (users == 0) {
            throw new IllegalStateException("ZeroMQ context released more often than acquired");
        }
        if (--users == 0) {
            ZMQ.Context ctx = context;
            context = null;
            ctx.term();
            List<Thread> started = threads;
            List<Thread> ending;
            synchronized (started) {
                ending = List.copyOf(started);
            }
            awaitEnd(ending);
        }
    }

    /** Waits, bounded, until each thread has ended; a thread that does not is logged, never waited for forever. */
    static void awaitEnd(List<Thread> ending) {
        long deadline = System.nanoTime() + THREAD_EXIT_WAIT.toNanos();
        boolean interrupted = false;
        for (Thread t : ending) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (t.isAlive()) {
                LOG.warn("ZeroMQ thread {} did not end within {} after its context was closed", t.getName(),
                        THREAD_EXIT_WAIT);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applies the options every socket of this module gets. */
    static void configure(ZMQ.Socket socket) {
        socket.setLinger(0);
        socket.setHandshakeIvl((int) HANDSHAKE_INTERVAL.toMillis());
    }
}
