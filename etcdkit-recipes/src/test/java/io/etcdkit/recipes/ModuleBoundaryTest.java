package io.etcdkit.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.testing.check.ModuleApiChecker;
import org.junit.jupiter.api.Test;

/** The recipes' module descriptor is honoured (these tests run on the module path). */
class ModuleBoundaryTest {
    private final Module module = Mutex.class.getModule();

    @Test
    void theRecipesAreTheNamedModuleIoEtcdkitRecipes() {
        assertThat(module.isNamed()).isTrue();
        assertThat(module.getName()).isEqualTo("io.etcdkit.recipes");
        assertThat(module.isExported("io.etcdkit.recipes.internal")).isFalse();
        assertThat(module.isExported("io.etcdkit.recipes.lock")).isTrue();
    }

    @Test
    void everyRecipePackageIsExportedAndOnlyInternalIsNot() {
        // a new recipe package must be added to module-info.java, or module-path users cannot reach it
        assertThat(module.getDescriptor().packages())
                .filteredOn(p -> !p.startsWith("io.etcdkit.recipes.internal") && !p.equals("io.etcdkit.recipes")
                        && !p.startsWith("io.etcdkit.recipes.testing") && !p.startsWith("io.etcdkit.recipes.observe"))
                .allMatch(module::isExported, "exported")
                .contains("io.etcdkit.recipes.workqueue", "io.etcdkit.recipes.queue", "io.etcdkit.recipes.barrier");
    }

    @Test
    void theApiNamesNoInternalJacksonOrTransportType() {
        ModuleApiChecker.check(module, "io.etcdkit.recipes.internal").assertClean();
        assertThat(module.getDescriptor().requires())
                .noneMatch(r -> r.name().equals("io.etcdkit.jackson") && !r.modifiers().isEmpty());
    }
}
