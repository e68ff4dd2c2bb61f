package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.RegistrationState;
import io.etcdkit.recipes.registry.ServiceInstance;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit registry register NAME --id ID --address ADDR [--meta k=v]...}: registers until Ctrl-C. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register a service instance until Ctrl-C.",
            "Registers an instance of service NAME under a lease kept alive until Ctrl-C, which removes "
                + "the entry at once (exit 130); if etcdkit dies, the entry vanishes within --ttl.",
            "If the lease is lost (etcd unreachable for --ttl), the instance registers itself again when etcd is "
                + "back; state changes are printed as '#' lines."})
final class RegistryRegisterCommand extends ClientCommand {
    @Mixin
    RegistryRoot root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service name (no '/').")
    String service;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The instance id, unique in the service.")
    String id;

    @Option(names = "--address", required = true, paramLabel = "ADDR", description = "Where to reach it, e.g. "
            + "10.0.0.7:8080.")
    String address;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata, repeatable: --meta zone=a "
            + "--meta version=2.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Lease TTL (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    int run(EtcdClient client, Output out) {
        ServiceInstance instance = new ServiceInstance(id, address, metadata);
        CountDownLatch closed = new CountDownLatch(1);
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; Registration registration = root.registry(client).register(service, instance, ttl)) {
            if (out.json()) {
                out.event(Output.fields("type", "registered", "service", service, "key", registration.key(),
                        "instance", instance, "lease", LeaseIdConverter.format(registration.leaseId())));
            } else {
                out.line("registered " + RegistryRoot.describe(instance) + " as " + registration.key() + " (lease "
                        + LeaseIdConverter.format(registration.leaseId()) + "); Ctrl-C deregisters");
            }
            registration.addListener((was, now, why) -> {
                if (was == now) {
                    return;
                }
                if (now == RegistrationState.CLOSED) {
                    closed.countDown();
                }
                String type = now.name().toLowerCase(Locale.ROOT);
                if (out.json()) {
                    out.event(Output.fields("type", type, "service", service, "reason", why));
                } else {
                    out.line("# " + type + ": " + why);
                }
            });
            closed.await();
            throw new CliException(ExitCode.FAILURE, "the registration of " + registration.key() + " was closed");
        } catch (InterruptedException e) {
            err().println("deregistered " + id + " from service '" + service + "'");
            err().flush();
            return ExitCode.INTERRUPTED;
        }
    }
}
