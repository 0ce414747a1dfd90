package io.vine.core.multiformats;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * The multiformats unsigned varint: seven bits per byte, least significant group first, the high bit
 * of each byte set when another byte follows. Values are limited to 63 bits, so an encoding takes at
 * most {@value #MAX_LENGTH} bytes, and only the minimal encoding of a value is accepted.
 *
 * <p>Decoding errors (overlong, non-minimal or truncated input) are reported as
 * {@link CorruptedFrameException}, a Netty {@code DecoderException}, with a message that names the
 * problem.
 *
 * @see <a href="https://github.com/multiformats/unsigned-varint">multiformats/unsigned-varint</a>
 */
public final class Varint {
    /** The longest valid encoding, in bytes (9 bytes carry 63 bits). */
    public static final int MAX_LENGTH = 9;

    /** The largest value that can be encoded: 2^63 - 1. */
    public static final long MAX_VALUE = Long.MAX_VALUE;

    /** Returned by {@link #tryRead(ByteBuf)} when the buffer does not yet hold a whole varint. */
    public static final long INCOMPLETE = -1;

    private Varint() {}

    /** Returns the number of bytes of the encoding of {@code value}. */
    public static int encodedLength(long value) {
        checkValue(value);
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    /** Returns the encoding of {@code value}, which must be between 0 and {@link #MAX_VALUE}. */
    public static byte[] encode(long value) {
        byte[] out = new byte[encodedLength(value)];
        int i = 0;
        while ((value & ~0x7FL) != 0) {
            out[i++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[i] = (byte) value;
        return out;
    }

    /** Writes the encoding of {@code value} to {@code out} and returns {@code out}. */
    public static ByteBuf write(ByteBuf out, long value) {
        requireNonNull(out, "out");
        checkValue(value);
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
        return out;
    }

    /**
     * Decodes {@code in}, which must hold exactly one varint and nothing else.
     *
     * @throws CorruptedFrameException if the input is empty, truncated, overlong, not minimal or has
     *     trailing bytes
     */
    public static long decode(byte[] in) {
        long value = decode(in, 0);
        int length = encodedLength(value);
        if (length != in.length) {
            throw new CorruptedFrameException(
                    "varint: " + (in.length - length) + " trailing bytes after a " + length + "-byte varint");
        }
        return value;
    }

    /**
     * Decodes the varint that starts at {@code offset} of {@code in}. Its length is
     * {@link #encodedLength(long) encodedLength(value)}, since only minimal encodings are accepted.
     *
     * @throws CorruptedFrameException if the input is truncated, overlong or not minimal
     */
    public static long decode(byte[] in, int offset) {
        requireNonNull(in, "in");
        if (offset < 0 || offset > in.length) {
            throw new IndexOutOfBoundsException("offset: " + offset + " (expected: 0.." + in.length + ")");
        }
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            if (offset + i >= in.length) {
                throw truncated(i);
            }
            int b = in[offset + i] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                checkMinimal(b, i);
                return value;
            }
        }
        throw overlong();
    }

    /**
     * Reads one varint from {@code in} and advances its reader index past it.
     *
     * @throws CorruptedFrameException if the input is truncated, overlong or not minimal; the reader
     *     index is then unchanged
     */
    public static long read(ByteBuf in) {
        long value = tryRead(in);
        if (value == INCOMPLETE) {
            throw truncated(in.readableBytes());
        }
        return value;
    }

    /**
     * Reads one varint from {@code in} if the buffer holds all of it, advancing the reader index past
     * it; returns {@link #INCOMPLETE} and leaves the reader index unchanged if more bytes are needed.
     *
     * @throws CorruptedFrameException if the input is overlong or not minimal; the reader index is
     *     then unchanged
     */
    public static long tryRead(ByteBuf in) {
        requireNonNull(in, "in");
        int start = in.readerIndex();
        int available = in.readableBytes();
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            if (i >= available) {
                return INCOMPLETE;
            }
            int b = in.getUnsignedByte(start + i);
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                checkMinimal(b, i);
                in.readerIndex(start + i + 1);
                return value;
            }
        }
        throw overlong();
    }

    private static void checkValue(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value: " + Long.toUnsignedString(value)
                    + " (expected: 0.." + MAX_VALUE + ")");
        }
    }

    private static void checkMinimal(int lastByte, int index) {
        if (lastByte == 0 && index > 0) {
            throw new CorruptedFrameException("varint: not minimally encoded (" + (index + 1)
                    + " bytes ending in 0x00)");
        }
    }

    private static CorruptedFrameException truncated(int got) {
        return new CorruptedFrameException("varint: truncated after " + got + " bytes");
    }

    private static CorruptedFrameException overlong() {
        return new CorruptedFrameException("varint: longer than " + MAX_LENGTH + " bytes (expected: at most 63 bits)");
    }
}
