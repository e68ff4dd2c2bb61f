package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * The checker on a JDK module (this module's own tests run on the class path: see the pom). Its detection of a
 * leaking signature is proven by the library's module tests, which fail when an API method names a protobuf type.
 */
class ModuleApiCheckerTest {
    private final Module httpClient = HttpClient.class.getModule();

    @Test
    void aCleanModuleIsClean() {
        ModuleApiChecker.Report report = ModuleApiChecker.check(httpClient, "jdk.internal.net.http.*");
        report.assertClean();
        assertThat(report.summary()).startsWith("module java.net.http, ").contains("0 leaks");
    }

    @Test
    void anExportedPackageNamedInternalIsReported() {
        ModuleApiChecker.Report report = ModuleApiChecker.check(httpClient, "java.net.*");
        assertThat(report.exportedForbidden().count()).isEqualTo(1);
        assertThat(report.exportedForbidden().samples()).containsExactly("java.net.http is exported");
        assertThat(report.isClean()).isFalse();
    }

    @Test
    void anUnnamedModuleIsRefused() {
        assertThatThrownBy(() -> ModuleApiChecker.check(getClass().getModule()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("module path");
    }
}
