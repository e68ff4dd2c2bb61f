package io.etcdkit.spring.health;

import io.etcdkit.EtcdClient;
import io.etcdkit.cluster.Alarm;
import io.etcdkit.cluster.AlarmType;
import io.etcdkit.cluster.MemberStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the etcd cluster as this application sees it: asks every configured endpoint for its status (in
 * parallel, each bounded by a short timeout) and the cluster for alarms.
 * <ul>
 *   <li>UP with {@code leader} (member id, hex) and per-member details (version, db size, raft term, leader)
 *       when at least one member answers, a leader is known and no NOSPACE or CORRUPT alarm is raised;</li>
 *   <li>DOWN with {@code reason} otherwise: no member answered, no leader, or the alarm.</li>
 * </ul>
 * A check never takes much longer than the timeout ({@code etcdkit.health.timeout}, 2 s by default). Thread-safe.
 */
public class EtcdHealthIndicator extends AbstractHealthIndicator {
    private final EtcdClient client;
    private final Duration timeout;

    /**
     * Creates the indicator.
     *
     * @param client the application's client
     * @param timeout the longest a check waits for a member
     */
    public EtcdHealthIndicator(EtcdClient client, Duration timeout) {
        super("etcd health check failed");
        this.client = client.withDeadline(timeout);
        this.timeout = timeout;
    }

    /** Fills {@code builder}; see the class comment for when it is UP or DOWN. */
    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        List<String> endpoints = client.endpoints();
        List<CompletableFuture<MemberStatus>> asks = new ArrayList<>();
        for (String endpoint : endpoints) {
            asks.add(client.maintenance().statusAsync(endpoint));
        }
        Map<String, Object> members = new LinkedHashMap<>();
        long leader = 0;
        int answered = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                MemberStatus status = asks.get(i).get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
                answered++;
                if (status.hasLeader()) {
                    leader = status.leaderId();
                }
                members.put(endpoints.get(i), Map.of("id", status.memberIdHex(), "version", status.version(),
                        "dbSize", status.dbSize(), "raftTerm", status.raftTerm(), "leader", status.isLeader(),
                        "errors", status.errors()));
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                members.put(endpoints.get(i), Map.of("error", String.valueOf(cause.getMessage())));
            }
        }
        builder.withDetail("members", members);
        if (answered == 0) {
            builder.down().withDetail("reason", "no member answered within " + timeout.toMillis() + " ms: "
                    + String.join(",", endpoints));
            return;
        }
        if (leader == 0) {
            builder.down().withDetail("reason", "no leader: the cluster cannot serve writes or linearizable reads");
            return;
        }
        builder.withDetail("leader", Long.toHexString(leader));
        List<Alarm> alarms;
        try {
            alarms = client.maintenance().alarmsAsync().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            builder.down().withDetail("reason", "alarms could not be read: " + cause.getMessage());
            return;
        }
        List<String> raised = new ArrayList<>();
        for (Alarm alarm : alarms) {
            if (alarm.type() == AlarmType.NOSPACE || alarm.type() == AlarmType.CORRUPT) {
                raised.add(alarm.toString());
            }
        }
        if (!raised.isEmpty()) {
            builder.down().withDetail("reason", "alarm raised: " + String.join(", ", raised)).withDetail("alarms",
                    raised);
            return;
        }
        builder.up();
    }
}
