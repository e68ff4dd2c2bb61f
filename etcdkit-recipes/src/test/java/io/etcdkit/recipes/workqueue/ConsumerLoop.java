package io.etcdkit.recipes.workqueue;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The consumer of the work-queue fault test, run in this JVM or in a child JVM: claims in small batches, fails
 * items whose payload starts with {@code poison} (they must end as dead letters) and about 1% of the others at
 * random, acknowledges the rest, and opens a new session whenever its session ends. It reports what happened to
 * a {@link Recorder}.
 */
final class ConsumerLoop implements Runnable {
    /** What a consumer reports; every method may be called from the consumer's thread only. */
    interface Recorder {
        void claimed(String id, long token);

        void acking(String id, long token);

        void acked(String id, long token, boolean accepted);

        void ackUnknown(String id, long token);

        void nacked(String id, long token, boolean accepted);
    }

    private final EtcdClient client;
    private final WorkQueue queue;
    private final Duration ttl;
    private final Recorder recorder;
    private final AtomicBoolean stop;
    /** Set by the test: the next time this consumer holds a claim, it runs this with its session, then goes on. */
    volatile Consumer<Session> pause;
    volatile Session session;

    ConsumerLoop(EtcdClient client, WorkQueue queue, Duration ttl, Recorder recorder, AtomicBoolean stop) {
        this.client = client;
        this.queue = queue;
        this.ttl = ttl;
        this.recorder = recorder;
        this.stop = stop;
    }

    @Override
    public void run() {
        WorkConsumer consumer = null;
        while (!stop.get()) {
            try {
                if (consumer == null || session.state().isTerminal()) {
                    if (session != null) {
                        session.close();
                    }
                    session = Session.open(client, ttl);
                    consumer = queue.openConsumer(session);
                }
                List<Claim> claims = consumer.claimBatch(8, Duration.ofMillis(300));
                for (Claim claim : claims) {
                    recorder.claimed(claim.id(), claim.token());
                }
                Consumer<Session> p = pause;
                if (p != null && !claims.isEmpty()) {
                    pause = null;
                    p.accept(session);
                }
                settle(consumer, claims);
            } catch (SessionExpiredException e) {
                // a new session on the next turn
            } catch (InterruptedException e) {
                return;
            } catch (EtcdException e) {
                sleep(100); // the cluster is electing a leader: try again
            }
        }
        if (session != null) {
            session.close();
        }
    }

    private void settle(WorkConsumer consumer, List<Claim> claims) {
        List<Claim> good = new java.util.ArrayList<>();
        for (Claim claim : claims) {
            boolean poison = claim.payloadAsString().startsWith("poison")
                    || ThreadLocalRandom.current().nextInt(100) == 0;
            if (!poison) {
                good.add(claim);
                continue;
            }
            try {
                recorder.nacked(claim.id(), claim.token(), consumer.nack(claim, "failed on purpose"));
            } catch (EtcdException e) {
                // unknown or failed: the claim expires or was returned; the checker needs no record of a nack
            }
        }
        good.forEach(c -> recorder.acking(c.id(), c.token()));
        try {
            java.util.Set<Claim> acked = new java.util.HashSet<>(consumer.ackAll(good));
            good.forEach(c -> recorder.acked(c.id(), c.token(), acked.contains(c)));
        } catch (OutcomeUnknownException e) {
            good.forEach(c -> recorder.ackUnknown(c.id(), c.token()));
        } catch (EtcdException e) {
            good.forEach(c -> recorder.acked(c.id(), c.token(), false)); // refused before it was sent
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
