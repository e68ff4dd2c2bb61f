package io.etcdkit.recipes.repository;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A conjunction of {@link LabelRequirement}s over a resource's labels, written in the Kubernetes syntax:
 *
 * <pre>
 * env=prod                 label env is prod           (env==prod means the same)
 * env!=prod                env is absent or not prod
 * tier in (web,cache)      tier is web or cache
 * tier notin (batch)       tier is absent or not batch
 * canary                   label canary is present
 * !canary                  label canary is absent
 * env=prod,tier in (web)   both (comma = and)
 * </pre>
 *
 * <p>Whitespace around tokens is ignored; the empty selector selects everything. Keys and values follow the
 * Kubernetes label syntax (see {@link Repository} for where labels come from). {@code in} and {@code notin} need
 * at least one value. Set-based {@code >}/{@code <} are not supported.
 *
 * <p>Immutable and thread-safe; equal when their requirements are equal.
 *
 * @see Repository#list(LabelSelector)
 */
public final class LabelSelector {
    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<LabelRequirement> requirements;

    private LabelSelector(List<LabelRequirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Parses {@code selector}.
     *
     * @param selector the label selector
     * @return a {@code LabelSelector} that parses {@code selector}
     * @throws InvalidSelectorException with the position and what was expected, when the text is not a selector
     */
    public static LabelSelector parse(String selector) {
        Objects.requireNonNull(selector, "selector");
        List<LabelRequirement> parsed = new SelectorParser(selector).parse();
        return parsed.isEmpty() ? EVERYTHING : new LabelSelector(parsed);
    }

    /**
     * The selector that matches every resource (the empty selector).
     *
     * @return the selector that matches every resource (the empty selector)
     */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * A selector of these requirements (all must hold).
     *
     * @param requirements the requirements
     * @return a selector of these requirements (all must hold)
     */
    public static LabelSelector of(List<LabelRequirement> requirements) {
        return requirements.isEmpty() ? EVERYTHING : new LabelSelector(requirements);
    }

    /**
     * The requirements, in the order written.
     *
     * @return the requirements, in the order written
     */
    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /**
     * Whether this selector matches everything.
     *
     * @return whether this selector matches everything
     */
    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /**
     * Whether a resource with these labels satisfies every requirement.
     *
     * @param labels the labels
     * @return whether a resource with these labels satisfies every requirement
     */
    public boolean matches(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        for (LabelRequirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    /** The selector in canonical syntax (sets sorted), parseable again; empty for everything. */
    @Override
    public String toString() {
        return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
    }
}
