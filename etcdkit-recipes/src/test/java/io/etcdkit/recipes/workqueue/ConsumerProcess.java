package io.etcdkit.recipes.workqueue;

import io.etcdkit.EtcdClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child JVM of {@link WorkQueueFaultTest}: one {@link ConsumerLoop} that prints what it does, one line per
 * step ({@code C|T|A|R|U|N|M id token}: claimed, acking, acked, ack refused, ack unknown, nacked, nack refused),
 * flushed at once. Arguments: endpoints, queue name, max attempts, TTL seconds.
 */
public final class ConsumerProcess {
    private ConsumerProcess() {
    }

    /** Consumes until killed. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true);
        EtcdClient client = EtcdClient.builder().endpoints(List.of(args[0].split(","))).build();
        WorkQueue queue = WorkQueue.of(client, args[1]).maxAttempts(Integer.parseInt(args[2]));
        ConsumerLoop.Recorder recorder = new ConsumerLoop.Recorder() {
            @Override
            public void claimed(String id, long token) {
                line("C", id, token);
            }

            @Override
            public void acking(String id, long token) {
                line("T", id, token);
            }

            @Override
            public void acked(String id, long token, boolean accepted) {
                line(accepted ? "A" : "R", id, token);
            }

            @Override
            public void ackUnknown(String id, long token) {
                line("U", id, token);
            }

            @Override
            public void nacked(String id, long token, boolean accepted) {
                line(accepted ? "N" : "M", id, token);
            }

            private void line(String what, String id, long token) {
                synchronized (out) {
                    out.println(what + " " + id + " " + token);
                }
            }
        };
        out.println("READY");
        new ConsumerLoop(client, queue, Duration.ofSeconds(Long.parseLong(args[3])), recorder, new AtomicBoolean())
                .run();
    }
}
