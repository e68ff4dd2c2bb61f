package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceInstance;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code etcdkit registry ls NAME}: the instances of a service now. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the instances of a service.",
            "Lists the instances of service NAME in id order (a table of id, address and metadata). No instances "
                + "is not an error."})
final class RegistryLsCommand extends ClientCommand {
    @Mixin
    RegistryRoot root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service name.")
    String service;

    @Override
    int run(EtcdClient client, Output out) {
        List<ServiceInstance> instances = root.registry(client).lookup(service);
        if (out.json()) {
            out.document(instances.stream().map(RegistryRoot::json).toList());
        } else {
            Table table = new Table("ID", "ADDRESS", "METADATA");
            for (ServiceInstance i : instances) {
                table.row(Output.escape(i.id()), Output.escape(i.address()), RegistryRoot.metadata(i.metadata()));
            }
            out.table(table);
        }
        return ExitCode.OK;
    }
}
