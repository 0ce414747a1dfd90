package io.vine.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.vine.core.multiformats.Varint;
import java.util.List;

/**
 * Prefixes each outbound {@link ByteBuf} with its length as an unsigned varint. The content is
 * passed on as is (no copy) after a small buffer holding the prefix. Stateless and sharable.
 */
@Sharable
public class VarintFramePrepender extends MessageToMessageEncoder<ByteBuf> {
    private final int maxFrameLength;

    /** Creates a prepender that accepts frames of any length. */
    public VarintFramePrepender() {
        this(Integer.MAX_VALUE);
    }

    /**
     * Creates a prepender that refuses, with an {@link EncoderException} failing the write, frames
     * longer than {@code maxFrameLength} bytes.
     */
    public VarintFramePrepender(int maxFrameLength) {
        super(ByteBuf.class);
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: > 0)");
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        int length = msg.readableBytes();
        if (length > maxFrameLength) {
            throw new EncoderException("frame length: " + length + " (expected: <= " + maxFrameLength + ")");
        }
        ByteBuf prefix = ctx.alloc().buffer(Varint.encodedLength(length));
        out.add(Varint.write(prefix, length));
        out.add(msg.retain());
    }
}
