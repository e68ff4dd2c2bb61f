package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker finds what it claims to find (so a clean result in the concurrency test means something). */
class VersionChainCheckerTest {

    @Test
    void aSingleChainIsClean() {
        VersionChainChecker c = new VersionChainChecker(10);
        c.won("a", 10, 12);
        c.refused("b", 10, 12);
        c.won("b", 12, 15);
        assertThat(c.findings()).isEmpty();
        assertThat(c.lastVersion()).isEqualTo(15);
    }

    @Test
    void twoWinnersOfOneVersionAreDuplicateWinnersAndALostUpdate() {
        VersionChainChecker c = new VersionChainChecker(10);
        c.won("a", 10, 12);
        c.won("b", 10, 13);
        assertThat(c.findings()).anyMatch(f -> f.startsWith("duplicate winner: a and b"))
                .anyMatch(f -> f.startsWith("lost update: b wrote version 13 from version 10"));
    }

    @Test
    void aChainWithAGapIsALostUpdate() {
        VersionChainChecker c = new VersionChainChecker(10);
        c.won("a", 11, 12);
        assertThat(c.findings()).containsExactly(
                "lost update: a wrote version 12 from version 11, but the version before it was 10");
    }

    @Test
    void aConflictReportingAnUnknownVersionIsFlagged() {
        VersionChainChecker c = new VersionChainChecker(10);
        c.won("a", 10, 12);
        c.refused("b", 10, 11);
        c.won("x", 13, 12);
        assertThat(c.findings()).anyMatch(f -> f.startsWith("bad conflict: b expected 10"))
                .anyMatch(f -> f.startsWith("not increasing: x"));
    }
}
