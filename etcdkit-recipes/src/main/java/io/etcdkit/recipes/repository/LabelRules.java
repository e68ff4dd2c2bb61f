package io.etcdkit.recipes.repository;

import io.etcdkit.InvalidArgumentException;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The syntax of label keys and values, as Kubernetes defines it, so selectors written for Kubernetes read the
 * same here. A key is an optional DNS-subdomain prefix and a slash, then a name of at most 63 characters that
 * starts and ends with a letter or digit and has only letters, digits, {@code -}, {@code _} and {@code .}
 * inside; a value is empty or follows the name rule.
 */
final class LabelRules {
    static final int MAX_NAME = 63;
    static final int MAX_PREFIX = 253;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelRules() {
    }

    /** What is wrong with {@code key} as a label key, or null when it is valid. */
    static String keyProblem(String key) {
        if (key.isEmpty()) {
            return "a label key must not be empty";
        }
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "the prefix '" + prefix + "' of label key '" + key + "' must be a lower-case DNS subdomain "
                        + "(like example.com) of at most " + MAX_PREFIX + " characters";
            }
        }
        if (name.isEmpty() || name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            return "the name '" + name + "' of label key '" + key + "' must be 1 to " + MAX_NAME + " characters, "
                    + "start and end with a letter or digit, and contain only letters, digits, '-', '_' and '.'";
        }
        return null;
    }

    /** What is wrong with {@code value} as a label value, or null when it is valid. */
    static String valueProblem(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_NAME || !NAME.matcher(value).matches()) {
            return "the label value '" + value + "' must be empty or 1 to " + MAX_NAME + " characters that start "
                    + "and end with a letter or digit, with only letters, digits, '-', '_' and '.' inside";
        }
        return null;
    }

    /**
     * Checks every label of a resource before it is written, except those it keeps unchanged from the version
     * it replaces: a label another program wrote that is not valid by these rules stays as it is.
     *
     * @param kept the labels of the version replaced (asked only when a label is invalid; empty for a create)
     * @throws InvalidArgumentException naming the resource and the first bad label it sets
     */
    static void check(Map<String, String> labels, String id, Supplier<Map<String, String>> kept) {
        Map<String, String> before = null;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidArgumentException("the labels of resource '" + id + "' contain a null key or "
                        + "value; leave the label out instead");
            }
            String problem = keyProblem(e.getKey());
            if (problem == null) {
                problem = valueProblem(e.getValue());
            }
            if (problem != null && before == null) {
                before = kept.get();
            }
            if (problem != null && !e.getValue().equals(before.get(e.getKey()))) {
                throw new InvalidArgumentException("resource '" + id + "' has an invalid label: " + problem
                        + ". Nothing was written; fix the label extractor or the resource");
            }
        }
    }
}
