package io.etcdkit.kv;

import io.etcdkit.Bytes;
import java.util.Objects;

/**
 * One condition of a {@link Transaction}: a key's value, version, create revision, modification revision or
 * lease compared with a constant. Immutable.
 *
 * <pre>{@code
 * Compare.value("k").equalTo("v")
 * Compare.version("k").equalTo(0)        // the key does not exist
 * Compare.modRevision("k").equalTo(rev)  // nobody changed the key since rev
 * Compare.absent("k")                    // same as createRevision("k").equalTo(0)
 * }</pre>
 *
 * <p>A missing key has value empty, version 0, create and mod revision 0 and lease 0.
 *
 * @param key the key compared
 * @param target what of the key is compared
 * @param operator how it is compared
 * @param value the constant for {@link Target#VALUE}, else null
 * @param number the constant for the numeric targets
 */
public record Compare(Bytes key, Target target, Operator operator, Bytes value, long number) {
    /**
     * Validates the key.
     *
     * @param key the key
     * @param target the target
     * @param operator the operator
     * @param value the value
     * @param number the number
     */
    public Compare {
        Keys.key(key, "the key of a compare");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(operator, "operator");
    }

    /** What of a key a compare looks at. */
    public enum Target {
        /** The value's bytes. */
        VALUE,
        /** The version (0 when absent). */
        VERSION,
        /** The create revision (0 when absent). */
        CREATE_REVISION,
        /** The last modification revision (0 when absent). */
        MOD_REVISION,
        /** The lease id (0 when none). */
        LEASE
    }

    /** How a compare compares. */
    public enum Operator {
        /** Equal. */
        EQUAL,
        /** Not equal. */
        NOT_EQUAL,
        /** Greater than the constant. */
        GREATER,
        /** Less than the constant. */
        LESS
    }

    /**
     * Compares the value of {@code key}.
     *
     * @param key the key
     * @return a {@code ValueCompare} that compares the value of {@code key}
     */
    public static ValueCompare value(String key) {
        return new ValueCompare(Bytes.of(key));
    }

    /**
     * Compares the value of {@code key}.
     *
     * @param key the key
     * @return a {@code ValueCompare} that compares the value of {@code key}
     */
    public static ValueCompare value(Bytes key) {
        return new ValueCompare(key);
    }

    /**
     * Compares the version of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the version of {@code key}
     */
    public static NumberCompare version(String key) {
        return new NumberCompare(Bytes.of(key), Target.VERSION);
    }

    /**
     * Compares the version of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the version of {@code key}
     */
    public static NumberCompare version(Bytes key) {
        return new NumberCompare(key, Target.VERSION);
    }

    /**
     * Compares the create revision of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the create revision of {@code key}
     */
    public static NumberCompare createRevision(String key) {
        return new NumberCompare(Bytes.of(key), Target.CREATE_REVISION);
    }

    /**
     * Compares the create revision of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the create revision of {@code key}
     */
    public static NumberCompare createRevision(Bytes key) {
        return new NumberCompare(key, Target.CREATE_REVISION);
    }

    /**
     * Compares the modification revision of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the modification revision of {@code key}
     */
    public static NumberCompare modRevision(String key) {
        return new NumberCompare(Bytes.of(key), Target.MOD_REVISION);
    }

    /**
     * Compares the modification revision of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the modification revision of {@code key}
     */
    public static NumberCompare modRevision(Bytes key) {
        return new NumberCompare(key, Target.MOD_REVISION);
    }

    /**
     * Compares the lease of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the lease of {@code key}
     */
    public static NumberCompare lease(String key) {
        return new NumberCompare(Bytes.of(key), Target.LEASE);
    }

    /**
     * Compares the lease of {@code key}.
     *
     * @param key the key
     * @return a {@code NumberCompare} that compares the lease of {@code key}
     */
    public static NumberCompare lease(Bytes key) {
        return new NumberCompare(key, Target.LEASE);
    }

    /**
     * True when {@code key} does not exist.
     *
     * @param key the key
     * @return true when {@code key} does not exist
     */
    public static Compare absent(String key) {
        return createRevision(key).equalTo(0);
    }

    /**
     * True when {@code key} does not exist.
     *
     * @param key the key
     * @return true when {@code key} does not exist
     */
    public static Compare absent(Bytes key) {
        return createRevision(key).equalTo(0);
    }

    /**
     * True when {@code key} exists.
     *
     * @param key the key
     * @return true when {@code key} exists
     */
    public static Compare exists(String key) {
        return createRevision(key).greaterThan(0);
    }

    /**
     * True when {@code key} exists.
     *
     * @param key the key
     * @return true when {@code key} exists
     */
    public static Compare exists(Bytes key) {
        return createRevision(key).greaterThan(0);
    }

    /** The second half of a value compare. */
    public static final class ValueCompare {
        private final Bytes key;

        private ValueCompare(Bytes key) {
            this.key = key;
        }

        /**
         * Value equals {@code v}.
         *
         * @param v the value to compare with
         * @return value equals {@code v}
         */
        public Compare equalTo(Bytes v) {
            return new Compare(key, Target.VALUE, Operator.EQUAL, Keys.nonNull(v, "value"), 0);
        }

        /**
         * Value equals the UTF-8 text {@code v}.
         *
         * @param v the value to compare with
         * @return value equals the UTF-8 text {@code v}
         */
        public Compare equalTo(String v) {
            return equalTo(Bytes.of(v));
        }

        /**
         * Value differs from {@code v}.
         *
         * @param v the value to compare with
         * @return value differs from {@code v}
         */
        public Compare notEqualTo(Bytes v) {
            return new Compare(key, Target.VALUE, Operator.NOT_EQUAL, Keys.nonNull(v, "value"), 0);
        }

        /**
         * Value differs from the UTF-8 text {@code v}.
         *
         * @param v the value to compare with
         * @return value differs from the UTF-8 text {@code v}
         */
        public Compare notEqualTo(String v) {
            return notEqualTo(Bytes.of(v));
        }

        /**
         * Value sorts after {@code v} (unsigned bytes).
         *
         * @param v the value to compare with
         * @return value sorts after {@code v} (unsigned bytes)
         */
        public Compare greaterThan(Bytes v) {
            return new Compare(key, Target.VALUE, Operator.GREATER, Keys.nonNull(v, "value"), 0);
        }

        /**
         * Value sorts before {@code v} (unsigned bytes).
         *
         * @param v the value to compare with
         * @return value sorts before {@code v} (unsigned bytes)
         */
        public Compare lessThan(Bytes v) {
            return new Compare(key, Target.VALUE, Operator.LESS, Keys.nonNull(v, "value"), 0);
        }
    }

    /** The second half of a numeric compare. */
    public static final class NumberCompare {
        private final Bytes key;
        private final Target target;

        private NumberCompare(Bytes key, Target target) {
            this.key = key;
            this.target = target;
        }

        /**
         * Equal to {@code n}.
         *
         * @param n the number to compare with
         * @return the compare
         */
        public Compare equalTo(long n) {
            return new Compare(key, target, Operator.EQUAL, null, n);
        }

        /**
         * Not equal to {@code n}.
         *
         * @param n the number to compare with
         * @return the compare
         */
        public Compare notEqualTo(long n) {
            return new Compare(key, target, Operator.NOT_EQUAL, null, n);
        }

        /**
         * Greater than {@code n}.
         *
         * @param n the number to compare with
         * @return the compare
         */
        public Compare greaterThan(long n) {
            return new Compare(key, target, Operator.GREATER, null, n);
        }

        /**
         * Less than {@code n}.
         *
         * @param n the number to compare with
         * @return the compare
         */
        public Compare lessThan(long n) {
            return new Compare(key, target, Operator.LESS, null, n);
        }
    }
}
