package io.etcdkit.recipes.repository;

import io.etcdkit.InvalidArgumentException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One condition of a {@link LabelSelector} on one label key. Immutable.
 *
 * @param key the label key
 * @param operator how the label is tested
 * @param values the values compared with: one for {@link Operator#EQUALS} and {@link Operator#NOT_EQUALS}, one
 *     or more for {@link Operator#IN} and {@link Operator#NOT_IN}, none for {@link Operator#EXISTS} and
 *     {@link Operator#DOES_NOT_EXIST}; kept sorted
 */
public record LabelRequirement(String key, Operator operator, Set<String> values) {

    /** How a requirement tests a label. */
    public enum Operator {
        /** {@code key=value} or {@code key==value}: the label is present with that value. */
        EQUALS,
        /** {@code key!=value}: the label is absent or has another value. */
        NOT_EQUALS,
        /** {@code key in (a,b)}: the label is present with one of the values. */
        IN,
        /** {@code key notin (a,b)}: the label is absent or has none of the values. */
        NOT_IN,
        /** {@code key}: the label is present, with any value. */
        EXISTS,
        /** {@code !key}: the label is absent. */
        DOES_NOT_EXIST
    }

    /**
     * Copies the values into an unmodifiable sorted set and checks their number against the operator.
     *
     * @param key the key
     * @param operator the operator
     * @param values the values
     * @throws InvalidArgumentException when the number of values does not fit the operator
     */
    public LabelRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
        int n = values.size();
        boolean ok = switch (operator) {
            case EQUALS, NOT_EQUALS -> n == 1;
            case IN, NOT_IN -> n >= 1;
            case EXISTS, DOES_NOT_EXIST -> n == 0;
        };
        if (!ok) {
            throw new InvalidArgumentException(operator + " takes " + switch (operator) {
                case EQUALS, NOT_EQUALS -> "exactly one value";
                case IN, NOT_IN -> "at least one value";
                default -> "no values";
            } + ", got " + values);
        }
    }

    /**
     * Whether a resource with these labels satisfies the requirement.
     *
     * @param labels the labels
     * @return whether a resource with these labels satisfies the requirement
     */
    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case EQUALS, IN -> value != null && values.contains(value);
            case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
        };
    }

    /** The requirement in selector syntax, e.g. {@code tier in (backend,cache)}. */
    @Override
    public String toString() {
        return switch (operator) {
            case EQUALS -> key + "=" + values.iterator().next();
            case NOT_EQUALS -> key + "!=" + values.iterator().next();
            case IN -> key + " in (" + String.join(",", values) + ")";
            case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
        };
    }
}
