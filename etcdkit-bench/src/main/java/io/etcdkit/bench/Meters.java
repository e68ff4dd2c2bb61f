package io.etcdkit.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the resource counters a phase is charged with: this process's CPU time, the bytes its threads allocated,
 * its garbage collections, and (when the harness started the cluster) the etcd members' CPU time from
 * {@code /proc/<pid>/stat}. The etcd server runs as a separate process, so it is never in the client's CPU.
 */
final class Meters {
    private final com.sun.management.OperatingSystemMXBean os;
    private final com.sun.management.ThreadMXBean threads;
    private final List<GarbageCollectorMXBean> gcs;
    private final List<Long> serverPids;
    private final long clockTicksPerSecond;

    /** A reading of every counter. {@code serverCpuNanos} is -1 when the server processes are not known. */
    record Snapshot(long nanoTime, long processCpuNanos, long allocatedBytes, long gcCount, long gcMillis,
            long serverCpuNanos, long machineBusyNanos) {

        Delta minus(Snapshot before) {
            long server = serverCpuNanos < 0 || before.serverCpuNanos < 0 ? -1 : serverCpuNanos - before.serverCpuNanos;
            long machine = machineBusyNanos < 0 || before.machineBusyNanos < 0 ? -1
                    : machineBusyNanos - before.machineBusyNanos;
            long process = processCpuNanos - before.processCpuNanos;
            return new Delta(nanoTime - before.nanoTime, process, allocatedBytes - before.allocatedBytes,
                    gcCount - before.gcCount, gcMillis - before.gcMillis, server,
                    machine < 0 ? -1 : Math.max(0, machine - process - Math.max(0, server)));
        }
    }

    /**
     * What a phase used. {@code otherCpuNanos} is the CPU time every other process on the machine used meanwhile
     * (busy time from {@code /proc/stat} less this JVM and etcd): a noise indicator, -1 when unknown.
     */
    record Delta(long elapsedNanos, long processCpuNanos, long allocatedBytes, long gcCount, long gcMillis,
            long serverCpuNanos, long otherCpuNanos) {
    }

    Meters(List<Long> serverPids) {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
        this.gcs = ManagementFactory.getGarbageCollectorMXBeans();
        this.serverPids = List.copyOf(serverPids);
        this.clockTicksPerSecond = clockTicks();
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), the unit of /proc CPU times. */
    long clockTicksPerSecond() {
        return clockTicksPerSecond;
    }

    Snapshot read() {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : gcs) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), os.getProcessCpuTime(), allocatedBytes(), gcCount, gcMillis,
                serverCpuNanos(), machineBusyNanos());
    }

    /** CPU time all processes of the machine used since boot (user, nice, system, irq, softirq, steal). */
    private long machineBusyNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        busy += Long.parseLong(f[i]);
                    }
                    return busy * TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Bytes allocated by all live threads. Threads that end between two readings lose their share, so this is a
     * close lower bound; the clients' thread pools live for the whole run.
     */
    private long allocatedBytes() {
        if (!threads.isThreadAllocatedMemorySupported()) {
            return 0;
        }
        long sum = 0;
        for (long v : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    private long serverCpuNanos() {
        if (serverPids.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (long pid : serverPids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // fields after the command name, which is in parentheses and may contain spaces
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks * TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long v = Long.parseLong(out);
                if (v > 0) {
                    return v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to Linux's usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
