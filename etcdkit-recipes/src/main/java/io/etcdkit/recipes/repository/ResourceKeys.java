package io.etcdkit.recipes.repository;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key layout of a repository under {@code root} (which ends in {@code /}):
 * <ul>
 *   <li>resource {@code id} at {@code root + id};</li>
 *   <li>bookkeeping (quota slots) under {@code .etcdkit/repository/ + root}, outside the resource prefix, so
 *       a plain prefix scan of {@code root} by another program sees resources only;</li>
 *   <li>bookkeeping written by earlier versions under {@code root + "."} (the legacy location, still read).</li>
 * </ul>
 * Ids start with a letter or digit, so every resource key sorts at or after {@code root + "0"} and every legacy
 * bookkeeping key before it: the resource range {@code [root + "0", prefixEnd(root))} holds resources only, and
 * lists, pages and watches need no filtering. Immutable.
 */
final class ResourceKeys {
    /** Longest id, the Kubernetes object name limit. */
    static final int MAX_ID = 253;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]*");

    private final String root;
    private final Bytes rootBytes;
    private final Bytes start;
    private final Bytes end;

    ResourceKeys(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.equals("/")) {
            throw new InvalidArgumentException("a repository needs a non-empty prefix such as \"orders\", got \""
                    + prefix + "\"; use client.withNamespace(..) to place it under another prefix");
        }
        this.root = prefix.endsWith("/") ? prefix : prefix + "/";
        this.rootBytes = Bytes.of(root);
        this.start = Bytes.of(root + "0");
        // the prefix end of "x/" is "x0": '/' + 1 == '0'
        this.end = Bytes.of(root.substring(0, root.length() - 1) + "0");
    }

    /** The prefix every key of the repository starts with, ending in {@code /}. */
    String root() {
        return root;
    }

    /** The key of resource {@code id}, after checking the id. */
    Bytes key(String id) {
        checkId(id);
        return rootBytes.concat(Bytes.of(id));
    }

    /** The id of a resource key read from the resource range. */
    String id(Bytes key) {
        return key.substring(rootBytes.size()).toStringUtf8();
    }

    /** Every resource, and nothing else. */
    Range all() {
        return Range.between(start, end);
    }

    /** The resources after {@code id}, in key order. */
    Range after(String id) {
        return Range.between(key(id).concat(Bytes.of(new byte[] {0})), end);
    }

    /** Where the repositories' bookkeeping lives, outside every resource prefix. */
    static final String BOOKKEEPING = ".etcdkit/repository/";

    /** The prefix of the bookkeeping key {@code name}, e.g. {@code .etcdkit/repository/root/quota/slot/}. */
    String bookkeeping(String name) {
        return BOOKKEEPING + root + name;
    }

    /** Where earlier versions kept bookkeeping key {@code name}: {@code root/.quota/slot/}, inside the prefix. */
    String legacyBookkeeping(String name) {
        return root + "." + name;
    }

    /** Whether {@code id} is a valid resource id. */
    static boolean isId(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID && ID.matcher(id).matches();
    }

    /**
     * Checks an id: 1 to {@value #MAX_ID} characters, a letter or digit first, then letters, digits and
     * {@code . _ : @ -}.
     */
    static void checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.length() > MAX_ID || !ID.matcher(id).matches()) {
            throw new InvalidArgumentException("invalid resource id \"" + id + "\": an id has 1 to " + MAX_ID
                    + " characters, starts with a letter or digit and contains only letters, digits and "
                    + "'.', '_', ':', '@', '-' (no '/')");
        }
    }
}
