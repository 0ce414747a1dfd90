package io.vine.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.vine.core.multiformats.Varint;
import java.util.List;

/**
 * Splits a byte stream into frames, each prefixed with its length as an unsigned varint; emits the
 * frame content (without the prefix) as a {@link ByteBuf}.
 *
 * <p>A length above {@code maxFrameLength} raises {@link TooLongFrameException} as soon as the
 * prefix is read, before anything of the claimed size is buffered; a malformed prefix raises
 * {@link CorruptedFrameException}. Both are fatal: the decoder then discards everything that
 * follows, since the stream can no longer be split into frames.
 */
public class VarintFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameLength;
    private boolean failed;

    /** Creates a decoder that accepts frames of at most {@code maxFrameLength} bytes. */
    public VarintFrameDecoder(int maxFrameLength) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: > 0)");
        }
        this.maxFrameLength = maxFrameLength;
    }

    /** The largest frame content this decoder accepts, in bytes. */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        long length;
        try {
            length = Varint.tryRead(in);
        } catch (CorruptedFrameException e) {
            fail(in);
            throw new CorruptedFrameException("frame length prefix: " + e.getMessage(), e);
        }
        if (length == Varint.INCOMPLETE) {
            return;
        }
        if (length > maxFrameLength) {
            fail(in);
            throw new TooLongFrameException(
                    "frame length: " + length + " (expected: <= " + maxFrameLength + ")");
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return;
        }
        out.add(in.readRetainedSlice((int) length));
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
