package io.vine.swarm.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.vine.core.multiformats.Varint;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** The multistream-select message framing: varint length, UTF-8 text, {@code '\n'}. */
final class Messages {
    static final String NA = "na";
    static final String LS = "ls";

    private Messages() {}

    /** Appends {@code line} as one message to {@code out}. */
    static ByteBuf write(ByteBuf out, String line) {
        int length = ByteBufUtil.utf8Bytes(line) + 1;
        Varint.write(out, length);
        out.writeCharSequence(line, StandardCharsets.UTF_8);
        return out.writeByte('\n');
    }

    /**
     * Reads one message from {@code in} and returns its text without the newline, or returns null
     * and leaves {@code in} untouched when the whole message has not arrived yet.
     *
     * @throws TooLongFrameException if the length prefix exceeds {@code maxSize}
     * @throws CorruptedFrameException if the prefix is malformed, the message is empty, does not
     *     end in a newline or is not UTF-8
     */
    static String tryRead(ByteBuf in, int maxSize) {
        int start = in.readerIndex();
        long length;
        try {
            length = Varint.tryRead(in);
        } catch (CorruptedFrameException e) {
            throw new CorruptedFrameException("multistream message length: " + e.getMessage(), e);
        }
        if (length == Varint.INCOMPLETE) {
            return null;
        }
        if (length > maxSize) {
            throw new TooLongFrameException(
                    "multistream message length: " + length + " (expected: <= " + maxSize + ")");
        }
        if (length == 0) {
            throw new CorruptedFrameException("multistream message: empty (expected: a line ending in '\\n')");
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return null;
        }
        int textLength = (int) length - 1;
        if (in.getByte(in.readerIndex() + textLength) != '\n') {
            throw new CorruptedFrameException("multistream message: does not end in '\\n'");
        }
        ByteBuffer text = in.nioBuffer(in.readerIndex(), textLength);
        in.skipBytes((int) length);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(text).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptedFrameException("multistream message: not valid UTF-8", e);
        }
    }

    /** Checks that {@code protocol} can be sent as a proposal. */
    static String checkProtocolId(String protocol, int maxSize) {
        if (protocol == null) {
            throw new NullPointerException("protocol");
        }
        if (protocol.isEmpty() || protocol.indexOf('\n') >= 0
                || protocol.equals(NA) || protocol.equals(LS)) {
            throw new IllegalArgumentException("protocol: '" + protocol
                    + "' (expected: non-empty, no newline, not 'na' or 'ls')");
        }
        int size = ByteBufUtil.utf8Bytes(protocol) + 1;
        if (size > maxSize) {
            throw new IllegalArgumentException("protocol: " + size + " bytes with newline (expected: <= "
                    + maxSize + ")");
        }
        return protocol;
    }
}
