package io.etcdkit.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The keys and the value a workload uses: {@code size} keys {@code <prefix>k0000000 ...} and one value of
 * {@code valueSize} pseudo-random bytes (fixed seed, so every client writes the same bytes). Built once, before
 * any phase, so key formatting is not measured; each client converts them to its own key type up front.
 */
final class KeySpace {
    private final String prefix;
    private final byte[][] keys;
    private final byte[] value;

    KeySpace(String prefix, int size, int valueSize) {
        this.prefix = prefix;
        this.keys = new byte[size][];
        for (int i = 0; i < size; i++) {
            keys[i] = String.format("%sk%07d", prefix, i).getBytes(StandardCharsets.UTF_8);
        }
        this.value = new byte[valueSize];
        Random random = new Random(42);
        for (int i = 0; i < valueSize; i++) {
            value[i] = (byte) ('a' + random.nextInt(26));
        }
    }

    /** The prefix every key starts with. */
    String prefix() {
        return prefix;
    }

    byte[] prefixBytes() {
        return prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** How many keys. */
    int size() {
        return keys.length;
    }

    /** Key {@code i}, not copied: do not change it. */
    byte[] key(int i) {
        return keys[i];
    }

    /** The value, not copied: do not change it. */
    byte[] value() {
        return value;
    }
}
