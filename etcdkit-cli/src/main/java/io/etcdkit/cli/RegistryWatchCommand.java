package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code etcdkit registry watch NAME}: instances of a service as they come and go. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Watch the instances of a service come and go.",
            "Prints the instances of service NAME, then every change until Ctrl-C (exit 130):",
            "  + ID ADDRESS [META]   appeared      - ID ADDRESS   disappeared      ~ ID ADDRESS [META]   changed"})
final class RegistryWatchCommand extends ClientCommand {
    @Mixin
    RegistryRoot root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service name.")
    String service;

    private record Change(String type, String sign, ServiceInstance instance) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        BlockingQueue<Change> changes = new LinkedBlockingQueue<>();
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; ServiceWatch watch = root.registry(client).watch(service)) {
            if (!watch.awaitReady(options().timeout)) {
                throw new CliException(ExitCode.UNAVAILABLE, "could not read service '" + service + "' within "
                        + DurationConverter.format(options().timeout));
            }
            Thread self = Thread.currentThread();
            int[] replayed = {0};
            watch.addListener(new ServiceWatchListener() {
                @Override
                public void added(ServiceInstance instance) {
                    if (Thread.currentThread() == self) {
                        replayed[0]++; // addListener replays the current instances on this thread
                    }
                    changes.add(new Change("added", "+", instance));
                }

                @Override
                public void removed(ServiceInstance instance) {
                    changes.add(new Change("removed", "-", instance));
                }

                @Override
                public void changed(ServiceInstance previous, ServiceInstance current) {
                    changes.add(new Change("changed", "~", current));
                }
            });
            int initial = replayed[0];
            for (int i = 0; i < initial; i++) {
                print(out, changes.take());
            }
            if (!out.json()) {
                out.line("# " + initial + " instances of '" + service + "'; changes follow");
            }
            while (true) {
                print(out, changes.take());
            }
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }

    private void print(Output out, Change c) {
        if (out.json()) {
            out.event(Output.fields("type", c.type(), "service", service, "instance", RegistryRoot.json(c.instance())));
        } else {
            out.line(c.sign() + " " + (c.sign().equals("-") ? Output.escape(c.instance().id()) + " "
                    + Output.escape(c.instance().address()) : RegistryRoot.describe(c.instance())));
        }
    }
}
