package io.etcdkit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The starter's module descriptor, read from the compiled classes: module {@code io.etcdkit.spring}, exporting
 * every package of the starter and opening them to Spring, which reads the auto-configurations reflectively.
 * (The tests themselves run on the class path: they start Spring applications that scan test classes.)
 */
class ModuleDescriptorTest {
    @Test
    void theStarterIsModuleIoEtcdkitSpringAndExportsAndOpensItsPackagesToSpring() throws Exception {
        Path classes = Path.of(EtcdClientAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        ModuleDescriptor d = ModuleFinder.of(classes).find("io.etcdkit.spring").orElseThrow().descriptor();
        assertThat(d.isAutomatic()).isFalse();
        assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source).containsExactlyInAnyOrderElementsOf(
                d.packages());
        assertThat(d.opens()).allSatisfy(o -> assertThat(o.targets()).contains("spring.core", "spring.beans"));
        assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("io.etcdkit", "io.etcdkit.recipes", "spring.boot.autoconfigure");
    }
}
