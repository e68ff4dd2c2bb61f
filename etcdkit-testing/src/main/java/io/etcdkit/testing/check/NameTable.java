package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns names (keys, holders) to small ints so that a million records keep one copy of each name.
 *
 * <p>Thread-safe: all methods synchronize on the table.
 */
final class NameTable {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    /** Returns the id of {@code name}, assigning the next one on first sight. */
    synchronized int intern(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            id = names.size();
            ids.put(name, id);
            names.add(name);
        }
        return id;
    }

    /** Returns the id of {@code name}, or {@code -1} if it was never interned. */
    synchronized int idOf(String name) {
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    /** Returns the name with id {@code id}. */
    synchronized String name(int id) {
        return names.get(id);
    }
}
