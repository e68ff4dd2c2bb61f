package io.etcdkit.recipes.repository;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges compare-and-swap updates of one resource from their recorded outcomes. Writers record each successful
 * update as {@code expectedVersion → newVersion} and each refused one as {@code expectedVersion → current version
 * reported}. Findings:
 * <ul>
 *   <li><b>duplicate winner</b>: two successful updates from the same expected version (both "won" one version);</li>
 *   <li><b>lost update</b>: ordered by new version, a success whose expected version is not the previous
 *       success's new version (it overwrote a write it never saw, or the chain skips a write);</li>
 *   <li><b>not increasing</b>: a new version not greater than its expected version;</li>
 *   <li><b>bad conflict</b>: a refusal whose reported current version is not a version some success produced,
 *       or is not newer than the expected one.</li>
 * </ul>
 * Thread-safe.
 */
final class VersionChainChecker {
    private record Outcome(String writer, long expected, long version) {
    }

    private final long initialVersion;
    private final List<Outcome> wins = new ArrayList<>();
    private final List<Outcome> refusals = new ArrayList<>();

    VersionChainChecker(long initialVersion) {
        this.initialVersion = initialVersion;
    }

    synchronized void won(String writer, long expectedVersion, long newVersion) {
        wins.add(new Outcome(writer, expectedVersion, newVersion));
    }

    synchronized void refused(String writer, long expectedVersion, long currentVersion) {
        refusals.add(new Outcome(writer, expectedVersion, currentVersion));
    }

    synchronized int wins() {
        return wins.size();
    }

    synchronized int refusals() {
        return refusals.size();
    }

    /** The last version of the chain (the initial version when nothing won). */
    synchronized long lastVersion() {
        return wins.stream().mapToLong(Outcome::version).max().orElse(initialVersion);
    }

    /** Every finding, empty when the history is a single chain of compare-and-swaps. */
    synchronized List<String> findings() {
        List<String> out = new ArrayList<>();
        Map<Long, Outcome> byExpected = new HashMap<>();
        for (Outcome w : wins) {
            Outcome other = byExpected.putIfAbsent(w.expected(), w);
            if (other != null) {
                out.add("duplicate winner: " + other.writer() + " and " + w.writer() + " both updated from version "
                        + w.expected());
            }
            if (w.version() <= w.expected()) {
                out.add("not increasing: " + w.writer() + " went from " + w.expected() + " to " + w.version());
            }
        }
        List<Outcome> chain = new ArrayList<>(wins);
        chain.sort(Comparator.comparingLong(Outcome::version));
        long previous = initialVersion;
        Set<Long> produced = new HashSet<>();
        produced.add(initialVersion);
        for (Outcome w : chain) {
            if (w.expected() != previous) {
                out.add("lost update: " + w.writer() + " wrote version " + w.version() + " from version "
                        + w.expected() + ", but the version before it was " + previous);
            }
            previous = w.version();
            produced.add(w.version());
        }
        for (Outcome r : refusals) {
            if (!produced.contains(r.version()) || r.version() <= r.expected()) {
                out.add("bad conflict: " + r.writer() + " expected " + r.expected() + " and was told the current "
                        + "version is " + r.version() + ", which no update produced after it");
            }
        }
        return out;
    }
}
