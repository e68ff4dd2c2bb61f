package io.etcdkit.recipes.barrier;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;

/**
 * A double-barrier participant in its own JVM (for {@link DoubleBarrierCrashTest}): enters the barrier
 * {@code args[1]} of {@code args[2]} participants with a session of {@code args[3]} seconds, prints
 * {@code READY entered}, then waits to be killed.
 */
public final class BarrierParticipantProcess {
    private BarrierParticipantProcess() {
    }

    /**
     * Runs the participant.
     *
     * @param args endpoints, barrier name, participant count, session TTL in seconds
     * @throws Exception if etcd cannot be reached
     */
    public static void main(String[] args) throws Exception {
        EtcdClient client = EtcdClient.builder().endpoints(args[0].split(",")).build();
        Session session = Session.open(client, Duration.ofSeconds(Long.parseLong(args[3])));
        boolean entered = DoubleBarrier.of(session, args[1], Integer.parseInt(args[2])).enter(Duration.ofSeconds(60));
        System.out.println(entered ? "READY entered" : "NOT ENTERED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until SIGKILL
    }
}
