package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs an example against a test cluster and captures what it prints, for its test to check line by line. */
final class ExampleRun {
    /** An example's {@code run(args, out)}. */
    @FunctionalInterface
    interface Program {
        void run(String[] args, PrintStream out) throws Exception;
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Runs {@code program} with the cluster's endpoints as its only argument; returns the lines it printed. */
    static List<String> linesOf(Program program, EtcdClusterExtension etcd) throws Exception {
        ExampleRun run = new ExampleRun();
        program.run(new String[] {etcd.clientEndpointsString()}, run.out());
        return run.lines();
    }

    /** How many keys are left under {@code prefix}: what an example did not clean up. */
    static long keysUnder(EtcdClusterExtension etcd, String prefix) {
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.clientEndpoints()).build()) {
            return client.kv().count(Range.prefix(prefix));
        }
    }

    /** The stream to give the example. */
    PrintStream out() {
        return out;
    }

    /** The lines printed so far. */
    List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
