package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.check.ModuleApiChecker;
import org.junit.jupiter.api.Test;

/** The ZeroMQ adapter's module descriptor is honoured (this test runs on the module path). */
class ModuleBoundaryTest {
    @Test
    void theApiNamesNoJeroMqType() {
        Module module = Topic.class.getModule();
        assertThat(module.getName()).isEqualTo("io.etcdkit.zmq");
        ModuleApiChecker.check(module).assertClean();
    }
}
