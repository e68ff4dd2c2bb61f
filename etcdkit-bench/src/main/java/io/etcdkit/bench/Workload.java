package io.etcdkit.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** What one benchmark operation does. */
enum Workload {
    /** A put of a {@code --value-size} value; keys cycle over the key space. */
    PUT("put", false),
    /** A linearizable (default) get of one existing key; keys cycle over the preloaded key space. */
    RANGE_LINEARIZABLE("range-linearizable", true),
    /** A serializable get of one existing key; keys cycle over the preloaded key space. */
    RANGE_SERIALIZABLE("range-serializable", true),
    /** A transaction with one compare (the key's version is greater than -1, always true) and one put. */
    TXN_PUT("txn-put", false);

    private final String id;
    private final boolean needsPreload;

    Workload(String id, boolean needsPreload) {
        this.id = id;
        this.needsPreload = needsPreload;
    }

    /** The name on the command line and in the report. */
    String id() {
        return id;
    }

    /** Whether the key space must hold values before the workload reads it. */
    boolean needsPreload() {
        return needsPreload;
    }

    /** Parses {@code all}, one name, or a comma-separated list of names. */
    static List<Workload> parseList(String text) {
        List<Workload> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("all")) {
                for (Workload w : values()) {
                    if (!out.contains(w)) {
                        out.add(w);
                    }
                }
                continue;
            }
            Workload found = null;
            for (Workload w : values()) {
                if (w.id.equals(name)) {
                    found = w;
                }
            }
            if (found == null) {
                throw new BenchOptions.UsageException("unknown workload '" + name + "'; known: all, "
                        + String.join(", ", EnumSet.allOf(Workload.class).stream().map(Workload::id).toList()));
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        if (out.isEmpty()) {
            throw new BenchOptions.UsageException("no workload given");
        }
        return out;
    }
}
