package io.etcdkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.internal.ByteStrings;
import io.etcdkit.testing.check.ModuleApiChecker;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor is honoured: these tests run on the module path (Surefire patches them into module
 * {@code io.etcdkit}), so a missing or ignored descriptor fails them.
 */
class ModuleBoundaryTest {
    private final Module module = EtcdClient.class.getModule();

    @Test
    void theClientIsTheNamedModuleIoEtcdkit() {
        assertThat(module.isNamed()).isTrue();
        assertThat(module.getName()).isEqualTo("io.etcdkit");
    }

    @Test
    void onlyTheApiPackagesAreExported() {
        Set<String> exported = module.getDescriptor().exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertThat(exported).containsExactlyInAnyOrder("io.etcdkit", "io.etcdkit.kv", "io.etcdkit.watch",
                "io.etcdkit.lease", "io.etcdkit.cluster", "io.etcdkit.auth", "io.etcdkit.codec", "io.etcdkit.observe");
        assertThat(module.isExported("io.etcdkit.internal")).isFalse();
        assertThat(module.getPackages()).contains("io.etcdkit.internal", "io.etcdkit.internal.watch");
        assertThat(module.getDescriptor().exports()).noneMatch(e -> e.source().startsWith("io.etcdkit.internal"));
    }

    @Test
    void theApiNamesNoTypeItsUsersCannotReach() {
        ModuleApiChecker.check(module, "io.etcdkit.internal.*").assertClean();
    }

    @Test
    void theClientDoesNotNeedJackson() {
        assertThat(module.getDescriptor().requires())
                .noneMatch(r -> r.name().startsWith("com.fasterxml") || r.name().startsWith("tools.jackson"));
    }

    @Test
    void theBytesConverterCannotBeReplaced() {
        assertThat(Bytes.of("x").size()).isEqualTo(1);
        assertThatThrownBy(() -> ByteStrings.install(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only io.etcdkit.Bytes");
    }
}
