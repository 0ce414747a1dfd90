package io.vine.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.vine.core.codec.CompactingCumulator;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * The inbound record layer (libp2p/specs noise/README.md, "Wire Format"): reads 2-byte big-endian
 * length-prefixed Noise transport messages (at most 65535 bytes, so memory per connection is bounded)
 * and emits their decrypted payloads. An authentication failure closes the connection and raises
 * {@link NoiseDecryptionException}. Removal (at the latest when the channel closes) frees the cipher.
 */
final class NoiseRecordDecoder extends ByteToMessageDecoder {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final CipherState cipher;
    private boolean failed;

    NoiseRecordDecoder(CipherState cipher) {
        this.cipher = cipher;
        setCumulator(CompactingCumulator.ANY);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.readableBytes() >= NoiseFraming.LENGTH_PREFIX) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (length < CipherState.TAG_LENGTH) {
                throw fail(ctx, in, new CorruptedFrameException(
                        "noise transport message: " + length + " bytes (expected: >= " + CipherState.TAG_LENGTH + ")"));
            }
            if (in.readableBytes() < NoiseFraming.LENGTH_PREFIX + length) {
                return;
            }
            int plainLength = length - CipherState.TAG_LENGTH;
            ByteBuffer src = in.nioBuffer(in.readerIndex() + NoiseFraming.LENGTH_PREFIX, length);
            ByteBuf plain = plainLength == 0 ? null : ctx.alloc().buffer(plainLength);
            try {
                int n = cipher.decrypt(src, plain == null ? EMPTY : plain.nioBuffer(0, plainLength));
                if (plain != null) {
                    plain.writerIndex(n);
                }
            } catch (GeneralSecurityException e) {
                if (plain != null) {
                    plain.release();
                }
                throw fail(ctx, in, new NoiseDecryptionException("noise: cannot decrypt transport message: " + e, e));
            }
            in.skipBytes(NoiseFraming.LENGTH_PREFIX + length);
            if (plain != null) {
                out.add(plain);
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Frees the receive cipher (its native memory with libcrypto) when the connection ends. */
    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        failed = true;
        cipher.close();
    }

    private RuntimeException fail(ChannelHandlerContext ctx, ByteBuf in, RuntimeException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
        return e;
    }
}
