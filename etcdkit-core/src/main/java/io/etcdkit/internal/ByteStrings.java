package io.etcdkit.internal;

import com.google.protobuf.ByteString;
import io.etcdkit.Bytes;

/**
 * Zero-copy conversion between the public {@link Bytes} and protobuf's {@link ByteString}.
 *
 * <p>Internal: {@code Bytes} keeps a {@code ByteString} so that keys and values cross the wire without copies,
 * but the public API must not show protobuf types; {@code Bytes} hands this class its converter when it is
 * initialised.
 */
public final class ByteStrings {
    /** The converter {@link Bytes} installs. */
    public interface Access {
        /** Wraps without copying. */
        Bytes wrap(ByteString bytes);

        /** Unwraps without copying. */
        ByteString unwrap(Bytes bytes);
    }

    private static volatile Access access;

    private ByteStrings() {}

    /** Called once by {@link Bytes}. */
    public static void install(Access a) {
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            // Initialising Bytes runs its static block, which installs the converter.
            Bytes.EMPTY.size();
            a = access;
        }
        return a;
    }

    /** The protobuf view of {@code bytes}. */
    public static ByteString of(Bytes bytes) {
        return access().unwrap(bytes);
    }

    /** The public view of {@code bytes}. */
    public static Bytes bytes(ByteString bytes) {
        return access().wrap(bytes);
    }
}
