package io.etcdkit.recipes.publish;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link PublisherShutdownTest}: publishes {@code count} keys under {@code prefix} with a
 * publisher that revokes its lease on JVM shutdown, prints {@code READY}, then waits for a signal. Arguments:
 * endpoints (comma-separated), prefix, count, TTL in seconds, {@code revoke} or {@code keep}.
 */
public final class PublisherProcess {
    private PublisherProcess() {
    }

    /** Publishes and waits until the JVM is stopped. */
    public static void main(String[] args) throws Exception {
        EtcdClient client = EtcdClient.builder().endpoints(List.of(args[0].split(","))).build();
        LeasedPublisher.Builder<String> builder = LeasedPublisher.builder(client, Codecs.text())
                .lease(Duration.ofSeconds(Long.parseLong(args[3])));
        if (args[4].equals("revoke")) {
            builder.revokeOnShutdown();
        }
        LeasedPublisher<String> publisher = builder.open();
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            publisher.publish(args[1] + i, "value-" + i).get();
        }
        System.out.println("READY lease=" + Long.toHexString(publisher.leaseId().orElseThrow()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until SIGTERM runs the shutdown hooks
    }
}
