package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An item to add to a {@link WorkQueue}: a payload, optionally a delay (the item is invisible to consumers until
 * then) and optionally a dedup key (a second add with the same key while the first item is still in the queue —
 * pending or claimed — adds nothing and is reported as a duplicate). Immutable.
 *
 * <pre>{@code
 * queue.add(NewItem.of(payload).delay(Duration.ofMinutes(5)).dedupKey("invoice-42"));
 * }</pre>
 */
public final class NewItem {
    private final Bytes payload;
    private final Duration delay;
    private final String dedupKey;

    private NewItem(Bytes payload, Duration delay, String dedupKey) {
        this.payload = payload;
        this.delay = delay;
        this.dedupKey = dedupKey;
    }

    /**
     * An item with this payload, visible at once, without a dedup key.
     *
     * @param payload the bytes a consumer receives
     * @return the item
     */
    public static NewItem of(Bytes payload) {
        return new NewItem(Objects.requireNonNull(payload, "payload"), Duration.ZERO, null);
    }

    /**
     * An item with a UTF-8 payload.
     *
     * @param payload the text a consumer receives
     * @return the item
     */
    public static NewItem of(String payload) {
        return of(Bytes.of(Objects.requireNonNull(payload, "payload")));
    }

    /**
     * The same item, invisible to consumers until {@code delay} after it is added (measured on the adder's clock;
     * consumers compare with theirs, so keep clocks in sync to the precision you need).
     *
     * @param delay zero or more
     * @return a new item
     * @throws InvalidArgumentException if the delay is negative
     */
    public NewItem delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new InvalidArgumentException("a work item's delay must be zero or positive, got " + delay);
        }
        return new NewItem(payload, delay, dedupKey);
    }

    /**
     * The same item with a dedup key: while an item added with this key is in the queue (pending or claimed),
     * adding another with the same key is a no-op reported by {@link Added#duplicate()}. Once the first is
     * acknowledged or dead-lettered, the key can be used again.
     *
     * @param key non-empty text without a {@code /}
     * @return a new item
     * @throws InvalidArgumentException if the key is empty or contains {@code /}
     */
    public NewItem dedupKey(String key) {
        if (key == null || key.isEmpty() || key.indexOf('/') >= 0) {
            throw new InvalidArgumentException("a dedup key must be non-empty text without '/', got " + key);
        }
        return new NewItem(payload, delay, key);
    }

    /** {@return the payload} */
    public Bytes payload() {
        return payload;
    }

    /** {@return the delay before the item is visible, zero if none} */
    public Duration delay() {
        return delay;
    }

    /** {@return the dedup key, if any} */
    public Optional<String> dedupKey() {
        return Optional.ofNullable(dedupKey);
    }
}
