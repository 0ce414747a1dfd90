package io.vine.security.plaintext;

import io.netty.buffer.ByteBuf;
import io.vine.core.HandshakeException;

/** The multiformats unsigned varint, for the length prefix of the Exchange message. */
final class Varint {
    private Varint() {}

    static void write(ByteBuf out, int value) {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /**
     * Reads a varint of at most {@code max}, or returns -1 (reader index unspecified) when {@code in}
     * ends before the varint does.
     *
     * @throws HandshakeException if the value exceeds {@code max} or is not minimally encoded
     */
    static long read(ByteBuf in, int max) throws HandshakeException {
        long value = 0;
        for (int shift = 0; in.isReadable(); shift += 7) {
            if (shift > 28) {
                throw new HandshakeException("plaintext: length prefix longer than 5 bytes");
            }
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7f) << shift;
            if (value > max) {
                throw new HandshakeException("plaintext: Exchange of " + value + "+ bytes (expected: <= " + max + ")");
            }
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new HandshakeException("plaintext: length prefix is not minimally encoded");
                }
                return value;
            }
        }
        return -1;
    }
}
