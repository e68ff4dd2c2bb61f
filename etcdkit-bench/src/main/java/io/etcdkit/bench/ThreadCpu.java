package io.etcdkit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-thread CPU time of this JVM from {@code /proc/self/task/<tid>/stat} (user + system, so kernel work such as
 * socket writes and futex wake-ups is included, and so are GC and JIT threads that JFR's execution samples do not
 * show). Threads are grouped by name with digits folded ({@code etcdkit-callback-7} becomes
 * {@code etcdkit-callback-#}; Linux keeps only the first 15 characters of a name).
 */
final class ThreadCpu {
    private final long ticksPerSecond;

    ThreadCpu(long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** CPU nanoseconds per thread id, with the thread's group name; empty when /proc is not there. */
    Map<Long, Entry> read() {
        Map<Long, Entry> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#");
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.put(Long.parseLong(task.getFileName().toString()),
                            new Entry(name, ticks * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * CPU per thread group between two readings; threads born in between count from zero. Each group's name gets
     * the number of its threads that used CPU appended, e.g. {@code etcdkit-callback-# (12)}, and a
     * {@code +N new} when N of them were born in between.
     */
    static Map<String, Long> byGroup(Map<Long, Entry> before, Map<Long, Entry> after) {
        Map<String, Long> cpu = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> born = new HashMap<>();
        for (Map.Entry<Long, Entry> e : after.entrySet()) {
            Entry b = before.get(e.getKey());
            long used = e.getValue().cpuNanos - (b == null ? 0 : b.cpuNanos);
            if (used > 0) {
                String g = e.getValue().group;
                cpu.merge(g, used, Long::sum);
                threads.merge(g, 1, Integer::sum);
                if (b == null) {
                    born.merge(g, 1, Integer::sum);
                }
            }
        }
        Map<String, Long> out = new HashMap<>();
        cpu.forEach((g, v) -> out.put(g + " (" + threads.get(g)
                + (born.containsKey(g) ? ", " + born.get(g) + " new" : "") + ")", v));
        return out;
    }

    record Entry(String group, long cpuNanos) {
    }
}
