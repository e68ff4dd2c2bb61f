package io.etcdkit.recipes.atomic;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.util.Optional;

/**
 * The counter key and its marker key as read together at one revision: the base of one compare-and-swap.
 *
 * @param revision the store revision the read saw
 * @param counter the counter key, empty when it does not exist
 * @param marker the marker key, empty when it does not exist
 */
record CounterState(long revision, Optional<KeyValue> counter, Optional<KeyValue> marker) {

    /** A read-only transaction reading both keys at one revision; {@link #from} decodes its result. */
    static Transaction read(Bytes key, Bytes markerKey) {
        return Transaction.always(Range.key(key), Range.key(markerKey));
    }

    /** The state from a result whose branch ended with the reads of {@link #read} (at {@code offset}). */
    static CounterState from(TxnResult result, int offset) {
        return new CounterState(result.revision(), result.rangeResult(offset).first(),
                result.rangeResult(offset + 1).first());
    }

    /** The counter's mod revision, 0 when it does not exist (as etcd compares a missing key). */
    long counterModRevision() {
        return counter.map(KeyValue::modRevision).orElse(0L);
    }

    /** The marker's mod revision, 0 when it does not exist. */
    long markerModRevision() {
        return marker.map(KeyValue::modRevision).orElse(0L);
    }

    /** Whether the marker holds the id of operation {@code opId}. */
    boolean markerHolds(Bytes opId) {
        return marker.map(kv -> kv.value().equals(opId)).orElse(false);
    }

    /** The counter's value; a missing key is 0. A value that is not a decimal number is a typed error. */
    long value() {
        if (counter.isEmpty()) {
            return 0;
        }
        KeyValue kv = counter.get();
        try {
            return Codecs.longs().decode(kv.value());
        } catch (ValueDecodingException e) {
            throw new ValueDecodingException(e.codec(), "counter '" + kv.key() + "' holds '" + preview(kv.value())
                    + "', which is not a counter value (" + e.getMessage() + "). Another writer stored something "
                    + "else there: fix that writer, then reset the counter with set(..) or `etcdctl put "
                    + kv.key() + " 0`", e);
        }
    }

    private static String preview(Bytes value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
