package io.etcdkit.zmq;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A named stream of messages of one type, and the codec that turns them into bytes. The name travels as the first
 * frame of every message (see the module README for the frame layout); publisher and subscriber must use the same
 * name and compatible codecs. Immutable.
 *
 * <pre>{@code
 * Topic<Quote> QUOTES = Topic.of("quotes", JacksonCodecs.json(Quote.class));
 * }</pre>
 *
 * <p>Subscribers match names exactly (ZeroMQ itself filters by prefix; messages of longer names are dropped by
 * the subscriber, so {@code quotes} does not receive {@code quotes.eu}).
 *
 * @param name non-empty, at most {@value #MAX_NAME_BYTES} bytes of UTF-8
 * @param codec the codec of the messages; {@link ValueCodec#decode} failures are reported to subscribers as
 *     {@link SubscriberEvent.Malformed} events
 * @param <T> the message type
 */
public record Topic<T>(String name, ValueCodec<T> codec) {
    /** The longest topic name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    /**
     * Validates.
     *
     * @param name the name
     * @param codec the codec of the values
     */
    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("a topic name must be non-empty, got " + (name == null ? "null" : "''"));
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidArgumentException("a topic name must be at most " + MAX_NAME_BYTES
                    + " bytes of UTF-8, got one of " + name.getBytes(StandardCharsets.UTF_8).length + " bytes");
        }
        Objects.requireNonNull(codec, "codec");
    }

    /**
     * A topic named {@code name} whose messages {@code codec} encodes.
     *
     * @param <T> the type of the values
     * @param name the name
     * @param codec the codec of the values
     * @return a topic named {@code name} whose messages {@code codec} encodes
     */
    public static <T> Topic<T> of(String name, ValueCodec<T> codec) {
        return new Topic<>(name, codec);
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
