package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The {@code --root} option of the registry commands, and how they print an instance. */
final class RegistryRoot {
    @Option(names = "--root", paramLabel = "PREFIX", defaultValue = ServiceRegistry.DEFAULT_ROOT,
            description = "The registry's key prefix (default: ${DEFAULT-VALUE}).")
    String root;

    ServiceRegistry registry(EtcdClient client) {
        return ServiceRegistry.of(client, root);
    }

    /** {@code id address k=v,k=v}. */
    static String describe(ServiceInstance i) {
        String meta = metadata(i.metadata());
        return Output.escape(i.id()) + " " + Output.escape(i.address()) + (meta.isEmpty() ? "" : " " + meta);
    }

    /**
     * An instance as a JSON document: id, address, metadata, and the payload as base64 when it has one (the
     * registry's own wire format names it the same way).
     */
    static Map<String, Object> json(ServiceInstance i) {
        return Output.fields("id", i.id(), "address", i.address(), "metadata", new TreeMap<>(i.metadata()),
                "payload", i.hasPayload() ? Base64.getEncoder().encodeToString(i.payload().toByteArray()) : null);
    }

    /** {@code k=v,k=v} in key order. */
    static String metadata(Map<String, String> metadata) {
        return new TreeMap<>(metadata).entrySet().stream()
                .map(e -> Output.escape(e.getKey()) + "=" + Output.escape(e.getValue()))
                .collect(Collectors.joining(","));
    }
}
