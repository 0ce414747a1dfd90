package io.vine.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Sizes of the noise-libp2p wire format (libp2p/specs noise/README.md, "Wire Format"). */
final class NoiseFraming {
    /** The 2-byte big-endian length in front of every Noise message. */
    static final int LENGTH_PREFIX = 2;
    /** The largest Noise message (Noise spec, section 3). */
    static final int MAX_MESSAGE = 65535;
    /** The largest plaintext per transport message: the message limit minus the AEAD tag. */
    static final int MAX_PLAINTEXT = MAX_MESSAGE - CipherState.TAG_LENGTH;

    private NoiseFraming() {}

    /** A framed copy of {@code message} (which must be at most {@link #MAX_MESSAGE} bytes). */
    static ByteBuf frame(ByteBufAllocator alloc, byte[] message) {
        return alloc.buffer(LENGTH_PREFIX + message.length).writeShort(message.length).writeBytes(message);
    }
}
