package io.etcdkit.codec;

import io.etcdkit.EtcdException;

/**
 * Stored bytes are not a valid value for the codec that read them: malformed UTF-8 for {@code text}, something
 * other than a decimal integer for {@code longs}, malformed or mismatching JSON for {@code json(..)}, or, through
 * the {@link DecryptionException} subclasses, a value that cannot be decrypted.
 *
 * <p>The message names the codec ({@link #codec()}) and what was wrong; nothing is returned in place of the
 * value. Usually another writer stored the key with a different format: fix that writer, or read the key with
 * the codec it used. Readers that must keep working (a watched configuration value, say) catch this exception,
 * report it, and keep their last good value.
 */
public class ValueDecodingException extends EtcdException {
    /** The name of the codec that could not decode the value. */
    private final String codec;

    /**
     * Creates the exception.
     *
     * @param codec the name of the codec that failed, for example {@code text}
     * @param message what was wrong with the bytes and what to do
     */
    public ValueDecodingException(String codec, String message) {
        super(message);
        this.codec = codec;
    }

    /**
     * Creates the exception with the underlying cause.
     *
     * @param codec the name of the codec that failed, for example {@code json(com.example.Config)}
     * @param message what was wrong with the bytes and what to do
     * @param cause the underlying parser error
     */
    public ValueDecodingException(String codec, String message, Throwable cause) {
        super(message, cause);
        this.codec = codec;
    }

    /**
     * The name of the codec that could not decode the value.
     *
     * @return the name of the codec that could not decode the value
     */
    public String codec() {
        return codec;
    }

    /** The standard message prefix: {@code codec 'NAME' cannot decode the value: PROBLEM}. */
    static String describe(String codec, String problem) {
        return "codec '" + codec + "' cannot decode the value: " + problem;
    }
}
