package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code etcdkit registry register|ls|watch} in-process against a real member. */
@Timeout(180)
class RegistryCommandsTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @Test
    void registerHoldsTheEntryUntilInterruptedThenRemovesItAtOnce() {
        ServiceRegistry registry = ServiceRegistry.of(ETCD.client());
        try (Cli.Background r = ETCD.start("registry", "register", "orders", "--id", "orders-1", "--address",
                "10.0.0.1:8080", "--meta", "zone=a", "--meta", "version=2")) {
            r.awaitOut("registered orders-1 10.0.0.1:8080 version=2,zone=a as services/orders/orders-1");
            assertThat(registry.lookup("orders")).containsExactly(new ServiceInstance("orders-1", "10.0.0.1:8080",
                    Map.of("zone", "a", "version", "2")));
            assertThat(r.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(registry.lookup("orders")).as("deregistered at once, not after the TTL").isEmpty();
            assertThat(r.err()).contains("deregistered orders-1");
        }
    }

    @Test
    void lsListsInstancesAsTableAndJson() {
        ServiceRegistry registry = ServiceRegistry.of(ETCD.client(), "svc/");
        try (Registration a = registry.register("api", new ServiceInstance("api-1", "10.0.0.1:80", Map.of("z", "1")),
                Duration.ofSeconds(10));
                Registration b = registry.register("api", ServiceInstance.of("api-2", "10.0.0.2:80")
                        .withPayload("hi", Codecs.text()),
                        Duration.ofSeconds(10))) {
            Cli.Result table = ETCD.run("registry", "ls", "api", "--root", "svc/");
            assertThat(table.code()).as("%s", table).isZero();
            assertThat(table.out().lines().toList()).containsExactly("ID     ADDRESS      METADATA",
                    "api-1  10.0.0.1:80  z=1", "api-2  10.0.0.2:80");
            JsonNode json = ETCD.run("registry", "ls", "api", "--root", "svc", "-o", "json").json();
            assertThat(json).hasSize(2);
            assertThat(json.get(0).get("id").asText()).isEqualTo("api-1");
            assertThat(json.get(0).get("metadata").get("z").asText()).isEqualTo("1");
            assertThat(json.get(0).has("payload")).as("no payload, no field").isFalse();
            assertThat(json.get(1).get("payload").asText()).as("the payload's bytes in base64").isEqualTo("aGk=");
            assertThat(a.key()).isNotEqualTo(b.key());
        }
        Cli.Result none = ETCD.run("registry", "ls", "nothing-here");
        assertThat(none.code()).isZero();
        assertThat(none.out().lines().toList()).containsExactly("ID  ADDRESS  METADATA");
    }

    @Test
    void watchPrintsInstancesAsTheyComeAndGo() {
        ServiceRegistry registry = ServiceRegistry.of(ETCD.client());
        Registration existing = registry.register("web", ServiceInstance.of("web-1", "10.0.1.1:80"));
        try (Cli.Background w = ETCD.start("registry", "watch", "web")) {
            w.awaitOut("# 1 instances of 'web'; changes follow");
            Registration added = registry.register("web", new ServiceInstance("web-2", "10.0.1.2:80",
                    Map.of("zone", "b")));
            w.awaitOut("+ web-2 10.0.1.2:80 zone=b");
            added.update(new ServiceInstance("web-2", "10.0.1.2:81", Map.of("zone", "b")));
            w.awaitOut("~ web-2 10.0.1.2:81 zone=b");
            existing.close();
            w.awaitOut("- web-1 10.0.1.1:80");
            added.close();
            w.awaitOut("- web-2");
            assertThat(w.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(w.out().lines().toList()).containsExactly("+ web-1 10.0.1.1:80",
                    "# 1 instances of 'web'; changes follow", "+ web-2 10.0.1.2:80 zone=b",
                    "~ web-2 10.0.1.2:81 zone=b",
                    "- web-1 10.0.1.1:80", "- web-2 10.0.1.2:81");
        }
    }

    @Test
    void watchJsonLines() {
        try (Cli.Background w = ETCD.start("registry", "watch", "db", "-o", "json");
                Registration r = ServiceRegistry.of(ETCD.client()).register("db",
                        ServiceInstance.of("db-1", "h:5432"))) {
            w.awaitOut("\"added\"");
            w.stop();
            List<JsonNode> events = Cli.jsonLinesOf(w.out());
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("instance").get("address").asText()).isEqualTo("h:5432");
            assertThat(r.state()).isNotNull();
        }
    }

    @Test
    void badRegistrationsAreUsageErrors() {
        Cli.Result slash = ETCD.run("registry", "register", "a/b", "--id", "x", "--address", "h:1");
        assertThat(slash.code()).isEqualTo(2);
        assertThat(slash.errLine()).contains("service name");
        Cli.Result noId = ETCD.run("registry", "register", "svc", "--address", "h:1");
        assertThat(noId.code()).isEqualTo(2);
        assertThat(noId.errLine()).contains("--id");
        Cli.Result meta = ETCD.run("registry", "register", "svc", "--id", "x", "--address", "h:1", "--meta", "novalue");
        assertThat(meta.code()).isEqualTo(2);
    }
}
