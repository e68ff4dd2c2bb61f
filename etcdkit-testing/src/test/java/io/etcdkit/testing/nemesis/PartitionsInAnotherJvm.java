package io.etcdkit.testing.nemesis;

import java.util.concurrent.TimeUnit;

import io.etcdkit.testing.EtcdCluster;

/**
 * A JVM that cuts the clients of its one-member cluster, prints its partitions' tag, and then either exits
 * normally without healing ({@code exit}) or waits to be killed ({@code wait}). Run by {@link PartitionsCleanupTest}.
 */
public final class PartitionsInAnotherJvm {

    private PartitionsInAnotherJvm() {
    }

    /**
     * Entry point.
     *
     * @param args {@code exit} or {@code wait}
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        EtcdCluster cluster = EtcdCluster.builder().members(1).build();
        cluster.start();
        Partitions partitions = Partitions.of(cluster);
        partitions.cutClients(cluster.member(0));
        System.out.println("MEMBER " + cluster.member(0).pid() + " " + cluster.member(0).dataDir().getParent());
        System.out.println("TAG " + partitions.tag());
        System.out.flush();
        if (args.length > 0 && args[0].equals("wait")) {
            TimeUnit.MINUTES.sleep(2);
        }
        System.exit(0); // no heal, no close: the shutdown hooks must clean up
    }
}
