package io.vine.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * The outbound record layer: encrypts every written {@link ByteBuf} into Noise transport messages of
 * at most {@value NoiseFraming#MAX_PLAINTEXT} plaintext bytes, each with its 2-byte length prefix.
 * Frames are packed into output buffers of up to {@value #FRAMES_PER_BUFFER} frames, so a large write
 * costs few allocations and few channel writes. A buffer in one piece is encrypted from where it is
 * into the output; a composite (a muxer's header and payload) is first gathered into the output
 * frame and encrypted there in place, rather than merged into a temporary array. Removal (at the latest when the channel closes)
 * frees the cipher.
 */
final class NoiseRecordEncoder extends ChannelOutboundHandlerAdapter {
    static final int FRAMES_PER_BUFFER = 16;
    private static final int FRAME_OVERHEAD = NoiseFraming.LENGTH_PREFIX + CipherState.TAG_LENGTH;
    private static final int MAX_PER_BUFFER = FRAMES_PER_BUFFER * NoiseFraming.MAX_PLAINTEXT;

    private final CipherState cipher;

    NoiseRecordEncoder(CipherState cipher) {
        this.cipher = cipher;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
            return;
        }
        try {
            if (!buf.isReadable()) {
                ctx.write(buf.retain(), promise);
                return;
            }
            if (buf.readableBytes() <= MAX_PER_BUFFER) {
                ctx.write(encrypt(ctx, buf, buf.readableBytes()), promise);
                return;
            }
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            while (buf.isReadable()) {
                combiner.add(ctx.write(encrypt(ctx, buf, Math.min(buf.readableBytes(), MAX_PER_BUFFER))));
            }
            combiner.finish(promise);
        } catch (GeneralSecurityException e) {
            promise.setFailure(new EncoderException("noise: cannot encrypt: " + e.getMessage(), e));
            ctx.close();
        } finally {
            buf.release();
        }
    }

    /** Frees the send cipher (its native memory with libcrypto) when the connection ends. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cipher.close();
    }

    /** Encrypts the next {@code length} readable bytes of {@code buf} into one output buffer. */
    private ByteBuf encrypt(ChannelHandlerContext ctx, ByteBuf buf, int length) throws GeneralSecurityException {
        int frames = (length + NoiseFraming.MAX_PLAINTEXT - 1) / NoiseFraming.MAX_PLAINTEXT;
        ByteBuf out = ctx.alloc().buffer(length + frames * FRAME_OVERHEAD);
        try {
            int left = length;
            while (left > 0) {
                int chunk = Math.min(left, NoiseFraming.MAX_PLAINTEXT);
                int sealed = chunk + CipherState.TAG_LENGTH;
                out.writeShort(sealed);
                ByteBuffer plaintext;
                if (buf.nioBufferCount() == 1) { // encrypt from where the bytes are
                    plaintext = buf.nioBuffer(buf.readerIndex(), chunk);
                } else { // several pieces (a composite): gather them into the frame, encrypt in place
                    buf.getBytes(buf.readerIndex(), out, out.writerIndex(), chunk);
                    plaintext = out.nioBuffer(out.writerIndex(), chunk);
                }
                int n = cipher.encrypt(plaintext, out.nioBuffer(out.writerIndex(), sealed));
                out.writerIndex(out.writerIndex() + n);
                buf.skipBytes(chunk);
                left -= chunk;
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
