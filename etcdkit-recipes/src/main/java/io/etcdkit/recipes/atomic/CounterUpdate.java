package io.etcdkit.recipes.atomic;

import java.util.OptionalLong;

/**
 * The pure function at the heart of one counter operation: given the current value, the value to write, or
 * empty to write nothing (a compare-and-set whose expectation does not hold). It may be called several times,
 * once per attempt.
 */
@FunctionalInterface
interface CounterUpdate {
    OptionalLong next(long current);
}
