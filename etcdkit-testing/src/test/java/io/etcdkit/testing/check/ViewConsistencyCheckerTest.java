package io.etcdkit.testing.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.testing.check.ViewConsistencyChecker.Version;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewConsistencyCheckerTest {

    @Test
    void equalStatesAreClean() {
        ViewConsistencyChecker checker = new ViewConsistencyChecker();
        Map<String, Version> state = Map.of("a", new Version("1", 5), "b", new Version("2", 7));

        assertThat(checker.compare("first", 7, state, Map.copyOf(state))).isZero();
        assertThat(checker.compare("empty", 8, Map.of(), Map.of())).isZero();

        ViewConsistencyChecker.Report report = checker.check();
        report.assertClean();
        assertThat(report.checkpoints()).isEqualTo(2);
        assertThat(report.summary()).isEqualTo("2 checkpoints (last at revision 8), 2 keys compared: 0 missing, "
                + "0 extra, 0 stale");
    }

    @Test
    void missingExtraAndStaleKeysAreEachReported() {
        ViewConsistencyChecker checker = new ViewConsistencyChecker();
        Map<String, Version> copy = Map.of(
                "same", new Version("x", 3),
                "extra", new Version("e", 4),
                "old-value", new Version("v1", 5),
                "old-revision", new Version("v", 6));
        Map<String, Version> reference = Map.of(
                "same", new Version("x", 3),
                "gone", new Version("g", 2),
                "old-value", new Version("v2", 9),
                "old-revision", new Version("v", 8));

        assertThat(checker.compare("after kill", 9, copy, reference)).isEqualTo(4);

        ViewConsistencyChecker.Report report = checker.check();
        assertThat(report.isClean()).isFalse();
        assertThat(report.missing().samples()).containsExactly(
                "after kill @9: gone is Version[value=g, modRevision=2] in the reference, absent in the copy");
        assertThat(report.extra().samples()).containsExactly(
                "after kill @9: extra is Version[value=e, modRevision=4] in the copy, absent in the reference");
        assertThat(report.stale().count()).isEqualTo(2);
        assertThat(report.stale().samples().get(0)).startsWith("after kill @9: old-revision is");
        assertThatThrownBy(report::assertClean).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 missing").hasMessageContaining("2 stale");
    }

    @Test
    void nullValuesAreRejected() {
        assertThatThrownBy(() -> new Version(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
