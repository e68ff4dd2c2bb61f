package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import java.util.Objects;

/**
 * An item held by one consumer: it is invisible to every other consumer until it is acknowledged
 * ({@link WorkConsumer#ack}), returned ({@link WorkConsumer#nack}) or the consumer's session ends, whichever comes
 * first. The claim's {@link #token()} — the create revision of its claim key — fences the acknowledgement: once
 * the claim is gone (session expired, item handed to someone else) an ack or nack with this claim changes nothing.
 */
public final class Claim {
    private final String id;
    private final long token;
    private final ItemRecord record;
    private final long claimedAtNanos;

    Claim(String id, long token, ItemRecord record) {
        this.id = id;
        this.token = token;
        this.record = record;
        this.claimedAtNanos = System.nanoTime();
    }

    /** {@return the item's id} */
    public String id() {
        return id;
    }

    /** {@return the item's payload} */
    public Bytes payload() {
        return record.payload();
    }

    /** {@return the payload as UTF-8 text} */
    public String payloadAsString() {
        return record.payload().toStringUtf8();
    }

    /** {@return how many earlier deliveries of this item failed (nack or claim expiry); 0 on the first delivery} */
    public int previousAttempts() {
        return record.attempts();
    }

    /** {@return the error of the last failed delivery, empty if none} */
    public String lastError() {
        return record.lastError();
    }

    /** {@return the fencing token: the create revision of the claim key; a later claim of the item has a larger one} */
    public long token() {
        return token;
    }

    /** {@return when this claim was made, as a {@link System#nanoTime()} instant} */
    public long claimedAtNanos() {
        return claimedAtNanos;
    }

    ItemRecord record() {
        return record;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Claim c && c.id.equals(id) && c.token == token;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, token);
    }

    @Override
    public String toString() {
        return "Claim[" + id + ", token " + token + ", attempt " + (record.attempts() + 1) + "]";
    }
}
