package io.etcdkit.examples;

import io.etcdkit.EtcdClient;

/**
 * How every example finds etcd: the endpoints given as the first program argument (comma-separated, e.g.
 * {@code http://127.0.0.1:2379,http://127.0.0.1:22379}), else those of the {@code ETCD_ENDPOINTS} environment
 * variable, else {@code http://127.0.0.1:2379}.
 */
public final class ExampleClient {
    /** Where etcd is when neither an argument nor {@code ETCD_ENDPOINTS} says. */
    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:2379";

    private ExampleClient() {
    }

    /** The endpoints in {@code args[0]}, else {@code ETCD_ENDPOINTS}, else {@link #DEFAULT_ENDPOINT}. */
    public static String endpoints(String[] args) {
        if (args.length > 0 && !args[0].isBlank()) {
            return args[0];
        }
        String env = System.getenv("ETCD_ENDPOINTS");
        return env == null || env.isBlank() ? DEFAULT_ENDPOINT : env;
    }

    /** A client with default settings for {@link #endpoints(String[])}. */
    public static EtcdClient connect(String[] args) {
        return EtcdClient.builder().endpoints(endpoints(args)).build();
    }
}
