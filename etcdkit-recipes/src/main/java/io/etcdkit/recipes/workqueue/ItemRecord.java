package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of a work item (under {@code items/} and {@code dead/}): the payload, how many deliveries
 * failed, the last failure, when it becomes visible, its dedup key, and the nonce of the add that created it (to tell our own
 * earlier attempt from someone else's when an add's outcome was unknown).
 */
record ItemRecord(Bytes payload, int attempts, String lastError, long visibleAtMillis, long nonce, String dedupKey) {
    private static final int FORMAT = 1;
    private static final int MAX_ERROR_CHARS = 4_000;

    ItemRecord {
        dedupKey = dedupKey == null ? "" : dedupKey;
        lastError = lastError == null ? "" : lastError.length() > MAX_ERROR_CHARS
                ? lastError.substring(0, MAX_ERROR_CHARS) + "…" : lastError;
    }

    /** The record after one more failed delivery. */
    ItemRecord failedOnce(String error, long visibleAt) {
        return new ItemRecord(payload, attempts + 1, error, visibleAt, nonce, dedupKey);
    }

    Bytes encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.size() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(attempts);
            out.writeLong(visibleAtMillis);
            out.writeLong(nonce);
            out.writeUTF(lastError);
            out.writeUTF(dedupKey);
            out.write(payload.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Bytes.of(bytes.toByteArray());
    }

    static ItemRecord decode(Bytes stored, Bytes key) {
        byte[] raw = stored.toByteArray();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(raw))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new InvalidArgumentException("the work item at " + key + " has format " + format
                        + ", this etcdkit reads format " + FORMAT + "; was it written by another tool?");
            }
            int attempts = in.readInt();
            long visibleAt = in.readLong();
            long nonce = in.readLong();
            String error = in.readUTF();
            String dedupKey = in.readUTF();
            byte[] payload = in.readAllBytes();
            return new ItemRecord(Bytes.of(payload), attempts, error, visibleAt, nonce, dedupKey);
        } catch (IOException e) {
            throw new InvalidArgumentException("the work item at " + key + " is not an etcdkit work item ("
                    + e + "); was it written by another tool?");
        }
    }
}
