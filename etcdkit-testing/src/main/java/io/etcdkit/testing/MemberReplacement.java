package io.etcdkit.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Replaces one member of a running cluster by a fresh one with the same name and URLs: member remove, kill, wipe
 * the data directory, member add, start with {@code --initial-cluster-state=existing}. Stateless.
 */
final class MemberReplacement {

    private static final Logger LOG = LoggerFactory.getLogger(MemberReplacement.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private MemberReplacement() {
    }

    static void replace(EtcdCluster cluster, EtcdMember target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String oldId = target.memberId();
        List<EtcdMember> others = cluster.members().stream().filter(m -> m != target).toList();
        try {
            call(cluster, others, deadline, "/v3/cluster/member/remove",
                    Map.of("ID", Long.toUnsignedString(Long.parseUnsignedLong(oldId, 16))));
        } catch (EtcdTestingException e) {
            // an earlier attempt may have removed it and lost the answer
            if (e.getMessage() == null || !e.getMessage().contains("member not found")) {
                throw e;
            }
        }
        target.kill();
        if (!TempDirectories.deleteRecursively(target.dataDir())) {
            throw new EtcdTestingException("Cannot wipe the data directory " + target.dataDir() + " of member "
                    + target.name());
        }
        JsonNode added = call(cluster, others, deadline, "/v3/cluster/member/add",
                Map.of("peerURLs", List.of(target.peerEndpoint())));
        String newId = MemberStatus.hex(Long.parseUnsignedLong(added.path("member").path("ID").asText("0")));
        target.joinAsNewMember();
        target.start();
        cluster.awaitHealthy(Poll.remaining(deadline).plus(CALL_TIMEOUT));
        LOG.info("etcd member {} replaced: id {} removed, id {} added and started", target.name(), oldId, newId);
    }

    /** Posts to the first other member that answers, until the deadline; membership changes need a leader. */
    private static JsonNode call(EtcdCluster cluster, List<EtcdMember> others, long deadline, String path,
                                 Object body) {
        GatewayException last = null;
        while (true) {
            for (EtcdMember via : others) {
                if (!via.isRunning() || via.isPaused()) {
                    continue;
                }
                try {
                    return cluster.gateway().post(via.clientEndpoint(), path, body, Optional.empty(), CALL_TIMEOUT);
                } catch (GatewayException e) {
                    last = e;
                    if (e.getMessage() != null && e.getMessage().contains("member not found")) {
                        throw new EtcdTestingException("Membership change " + path + " failed: " + e.getMessage(), e);
                    }
                }
            }
            if (Poll.remaining(deadline).isZero()) {
                throw new EtcdTestingException("Membership change " + path + " failed: "
                        + (last == null ? "no other member is running" : last.getMessage()), last);
            }
            Poll.until(Duration.ofMillis(200), () -> false);
        }
    }
}
