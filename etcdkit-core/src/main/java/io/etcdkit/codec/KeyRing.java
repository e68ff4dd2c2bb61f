package io.etcdkit.codec;

import io.etcdkit.InvalidConfigurationException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Named {@link EncryptionKey}s, one of them current: {@link EncryptedCodec} encrypts with the current key and
 * writes its id into each value, and decrypts each value with the key its id names. That is what lets keys
 * rotate without a flag day:
 * <ol>
 *   <li>add the new key to every reader's ring, still with the old key current:
 *       {@code ring.withKey("k2", newKey)};</li>
 *   <li>make it current on the writers: {@code ring.withCurrent("k2")}; old values still decrypt with
 *       {@code k1}, new ones use {@code k2};</li>
 *   <li>re-encrypt the stored values with {@link EncryptedCodec#rotate}, then drop the old key:
 *       {@code ring.withoutKey("k1")}.</li>
 * </ol>
 *
 * <p>An id names one key forever: a value written under {@code k1} must decrypt with whatever key {@code k1}
 * names later, so {@link #withKey} refuses to replace a key. Ids are 1 to {@value #MAX_ID_LENGTH} printable
 * ASCII characters without spaces (such as {@code k1}, {@code 2025-06} or {@code prod/v2}); they are stored in
 * every value in clear, so they must not be secret.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return new rings. {@link #toString()} shows the ids
 * and never key material. Invalid ids and references to absent keys are
 * {@link InvalidConfigurationException}s.
 */
public final class KeyRing {
    /** The longest key id, in characters. */
    public static final int MAX_ID_LENGTH = 64;

    private final Map<String, EncryptionKey> keys;
    private final String currentId;

    private KeyRing(Map<String, EncryptionKey> keys, String currentId) {
        this.keys = Collections.unmodifiableMap(keys);
        this.currentId = currentId;
    }

    /**
     * A ring of one key, which is current.
     *
     * @param id the key id
     * @param key the key
     * @return a ring of one key, which is current
     */
    public static KeyRing of(String id, EncryptionKey key) {
        return of(Map.of(Objects.requireNonNull(id, "id"), Objects.requireNonNull(key, "key")), id);
    }

    /**
     * A ring of {@code keys} (id to key) in which {@code currentId} is current.
     *
     * @param keys the keys
     * @param currentId the current id
     * @return a ring of {@code keys} (id to key) in which {@code currentId} is current
     * @throws InvalidConfigurationException when an id is invalid, the map is empty, or {@code currentId} is not
     *     one of its ids
     */
    public static KeyRing of(Map<String, EncryptionKey> keys, String currentId) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(currentId, "currentId");
        TreeMap<String, EncryptionKey> copy = new TreeMap<>();
        keys.forEach((id, key) -> {
            checkId(id);
            copy.put(id, Objects.requireNonNull(key, () -> "the key for id '" + id + "' is null"));
        });
        if (copy.isEmpty()) {
            throw new InvalidConfigurationException("a key ring needs at least one key; add one with "
                    + "KeyRing.of(\"k1\", EncryptionKey.fromBase64(..))");
        }
        if (!copy.containsKey(currentId)) {
            throw new InvalidConfigurationException("the current key id '" + currentId + "' is not in the key "
                    + "ring, which holds " + copy.keySet() + "; add the key under that id, or make one of "
                    + "those current");
        }
        return new KeyRing(copy, currentId);
    }

    /**
     * This ring plus {@code key} under {@code id}; the current key is unchanged.
     *
     * @param id the key id
     * @param key the key
     * @return this ring plus {@code key} under {@code id}; the current key is unchanged
     * @throws InvalidConfigurationException when the id is invalid or already names a key
     */
    public KeyRing withKey(String id, EncryptionKey key) {
        checkId(id);
        Objects.requireNonNull(key, "key");
        if (keys.containsKey(id)) {
            throw new InvalidConfigurationException("the key ring already holds a key with id '" + id + "'; an id "
                    + "names one key forever because stored values refer to it, so give the new key a new id");
        }
        TreeMap<String, EncryptionKey> copy = new TreeMap<>(keys);
        copy.put(id, key);
        return new KeyRing(copy, currentId);
    }

    /**
     * This ring with the key {@code id} current.
     *
     * @param id the key id
     * @return this ring with the key {@code id} current
     * @throws InvalidConfigurationException when the ring holds no key with that id
     */
    public KeyRing withCurrent(String id) {
        Objects.requireNonNull(id, "id");
        if (!keys.containsKey(id)) {
            throw new InvalidConfigurationException("cannot make key '" + id + "' current: the key ring holds only "
                    + keys.keySet() + "; add it first with withKey(\"" + id + "\", key)");
        }
        return new KeyRing(keys, id);
    }

    /**
     * This ring without the key {@code id}. Values still encrypted with it can no longer be read, so rotate them
     * first ({@link EncryptedCodec#rotate}).
     *
     * @param id the key id
     * @return this ring without the key {@code id}
     * @throws InvalidConfigurationException when {@code id} is the current key or not in the ring
     */
    public KeyRing withoutKey(String id) {
        Objects.requireNonNull(id, "id");
        if (id.equals(currentId)) {
            throw new InvalidConfigurationException("cannot remove key '" + id + "': it is the current key; make "
                    + "another key current first with withCurrent(..)");
        }
        if (!keys.containsKey(id)) {
            throw new InvalidConfigurationException("cannot remove key '" + id + "': the key ring holds only "
                    + keys.keySet());
        }
        TreeMap<String, EncryptionKey> copy = new TreeMap<>(keys);
        copy.remove(id);
        return new KeyRing(copy, currentId);
    }

    /**
     * The id of the key new values are encrypted with.
     *
     * @return the id of the key new values are encrypted with
     */
    public String currentKeyId() {
        return currentId;
    }

    /**
     * The ids of all keys, sorted.
     *
     * @return the ids of all keys, sorted
     */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    /**
     * Whether the ring holds a key with id {@code id}.
     *
     * @param id the key id
     * @return whether the ring holds a key with id {@code id}
     */
    public boolean contains(String id) {
        return keys.containsKey(id);
    }

    /** The key with id {@code id}, or null. */
    EncryptionKey key(String id) {
        return keys.get(id);
    }

    /** The current key. */
    EncryptionKey currentKey() {
        return keys.get(currentId);
    }

    /** Whether {@code id} is a valid key id: 1 to 64 printable ASCII characters, no spaces. */
    static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static void checkId(String id) {
        Objects.requireNonNull(id, "id");
        if (!isValidId(id)) {
            throw new InvalidConfigurationException("invalid key id '" + id + "': a key id is 1 to "
                    + MAX_ID_LENGTH + " printable ASCII characters without spaces, such as k1 or 2025-06");
        }
    }

    /** {@code KeyRing[current=k2, ids=[k1, k2]]}: ids only, never key material. */
    @Override
    public String toString() {
        return "KeyRing[current=" + currentId + ", ids=" + keys.keySet() + "]";
    }
}
