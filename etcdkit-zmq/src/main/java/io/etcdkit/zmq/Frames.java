package io.etcdkit.zmq;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The wire layout of one message: three frames, {@code [topic][header][payload]}. The header is
 * {@value #HEADER_LENGTH} bytes: a version byte ({@value #VERSION}), the publisher id (8 bytes, big-endian, chosen
 * at random when the publisher starts) and the message's sequence number on its topic (8 bytes, big-endian,
 * starting at 1). Documented for other languages in the module README.
 */
final class Frames {
    static final byte VERSION = 1;
    static final int HEADER_LENGTH = 17;

    private Frames() {
    }

    /** The identity of one message on its topic. */
    record Header(long publisherId, long sequence) {
    }

    static byte[] header(long publisherId, long sequence) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(VERSION).putLong(publisherId).putLong(sequence).array();
    }

    /**
     * Checks the frame count and reads the header.
     *
     * @throws MalformedMessageException when the layout is not {@code [topic][header][payload]} version 1
     */
    static Header read(List<byte[]> frames) {
        if (frames.size() != 3) {
            throw new MalformedMessageException("expected 3 frames [topic][header][payload], got " + frames.size()
                    + "; is the sender using the etcdkit ZeroMQ frame layout?");
        }
        byte[] header = frames.get(1);
        if (header.length == 0) {
            throw new MalformedMessageException("empty header frame; expected " + HEADER_LENGTH + " bytes");
        }
        if (header[0] != VERSION) {
            throw new MalformedMessageException("unsupported frame layout version " + (header[0] & 0xff)
                    + " (this subscriber reads version " + VERSION + "); upgrade the subscriber or the sender");
        }
        if (header.length != HEADER_LENGTH) {
            throw new MalformedMessageException("header frame of " + header.length + " bytes; version " + VERSION
                    + " has " + HEADER_LENGTH);
        }
        ByteBuffer b = ByteBuffer.wrap(header, 1, HEADER_LENGTH - 1);
        return new Header(b.getLong(), b.getLong());
    }
}
