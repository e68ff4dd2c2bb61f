package io.etcdkit.internal;

import com.google.protobuf.ByteString;
import io.etcdkit.Bytes;
import java.util.Objects;

/**
 * Zero-copy conversion between the public {@link Bytes} and protobuf's {@link ByteString}.
 *
 * <p>Internal: {@code Bytes} keeps a {@code ByteString} so that keys and values cross the wire without copies,
 * but the public API must not show protobuf types; {@code Bytes} hands this class its converter when it is
 * initialised. The converter is installed once, by {@code Bytes} only: any other caller of {@link #install}, and
 * any second call, is refused, so nothing outside the library can replace how keys and values are converted
 * (the package is also not exported by the module descriptor).
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

    /**
     * Called once, by {@link Bytes}'s static initialiser.
     *
     * @param a the converter
     * @throws IllegalStateException if the caller is not {@link Bytes} or a converter is already installed
     */
    public static synchronized void install(Access a) {
        if (StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass() != Bytes.class) {
            throw new IllegalStateException("only io.etcdkit.Bytes installs the Bytes/ByteString converter");
        }
        if (access != null) {
            throw new IllegalStateException("the Bytes/ByteString converter is already installed");
        }
        access = Objects.requireNonNull(a, "a");
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
