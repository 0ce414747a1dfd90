package io.vine.tun.session;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.vine.core.codec.CompactingCumulator;
import io.vine.core.multiformats.Varint;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Splits a packet stream into frames (uvarint length, then that many bytes) and emits each frame's
 * content as a {@link ByteBuf}. A frame longer than {@code maxFrameLength}, or empty, is not an error
 * of the stream: its bytes are skipped as they arrive (never buffered) and {@code onDropped} hears its
 * length, so one bad frame costs only itself. A malformed length prefix (more than 9 bytes) makes the
 * stream unusable: {@link CorruptedFrameException}, and everything after it is discarded.
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {
    public static final String PROTOCOL_ID = "/vine/packet/1.0.0";

    private final int maxFrameLength;
    private final LongConsumer onDropped;
    private long skipping;
    private boolean failed;

    /** @param onDropped called with the length of each frame skipped because it was empty or too long */
    public PacketFrameDecoder(int maxFrameLength, LongConsumer onDropped) {
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength: " + maxFrameLength + " (expected: > 0)");
        }
        this.maxFrameLength = maxFrameLength;
        this.onDropped = requireNonNull(onDropped, "onDropped");
        setCumulator(CompactingCumulator.ANY);
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (failed) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (skipping > 0) {
                int n = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(n);
                skipping -= n;
                continue;
            }
            int start = in.readerIndex();
            long length;
            try {
                length = Varint.tryRead(in);
            } catch (CorruptedFrameException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new CorruptedFrameException("packet frame length prefix: " + e.getMessage(), e);
            }
            if (length == Varint.INCOMPLETE) {
                return;
            }
            if (length == 0 || length > maxFrameLength) {
                onDropped.accept(length);
                skipping = length;
                continue;
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(in.readRetainedSlice((int) length));
        }
    }

    /** Writes the length prefix of a frame of {@code length} bytes to {@code out}. */
    public static ByteBuf writePrefix(ByteBuf out, int length) {
        return Varint.write(out, length);
    }
}
