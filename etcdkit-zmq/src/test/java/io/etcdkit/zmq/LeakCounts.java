package io.etcdkit.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** Counts what could leak: this module's threads, all live threads, open file descriptors. */
final class LeakCounts {
    private LeakCounts() {
    }

    static long moduleThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(ZmqContexts.THREAD_PREFIX)).count();
    }

    static long allThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    /** Open file descriptors of this process (sockets, pipes and selectors included), from /proc/self/fd. */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean awaitModuleThreadsAtMost(long limit, Duration timeout) throws InterruptedException {
        return awaitAtMost(LeakCounts::moduleThreads, limit, timeout);
    }

    /** Polls until {@code counter} is at most {@code limit}; true if it got there within {@code timeout}. */
    static boolean awaitAtMost(LongSupplier counter, long limit, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() > limit) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
