package io.vine.muxer.yamux;

import static io.vine.muxer.yamux.YamuxFrame.ALL_FLAGS;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_ACK;
import static io.vine.muxer.yamux.YamuxFrame.FLAG_SYN;
import static io.vine.muxer.yamux.YamuxFrame.HEADER_LENGTH;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_DATA;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_GO_AWAY;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_PING;
import static io.vine.muxer.yamux.YamuxFrame.TYPE_WINDOW_UPDATE;
import static io.vine.muxer.yamux.YamuxFrame.VERSION;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vine.core.codec.CompactingCumulator;
import java.util.List;

/**
 * Decodes yamux frames and checks each header on its own (version, type, flags, stream id 0 for
 * session frames). A Data payload longer than {@code maxDataLength} (the largest window this side ever
 * grants) is refused before it is buffered. After the first error every further byte is discarded.
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {

    private final int maxDataLength;
    private boolean failed;

    YamuxFrameDecoder(int maxDataLength) {
        if (maxDataLength <= 0) {
            throw new IllegalArgumentException("maxDataLength: " + maxDataLength + " (expected: > 0)");
        }
        this.maxDataLength = maxDataLength;
        setCumulator(CompactingCumulator.ANY);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < HEADER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int version = in.getUnsignedByte(start);
        int type = in.getUnsignedByte(start + 1);
        int flags = in.getUnsignedShort(start + 2);
        int streamId = in.getInt(start + 4);
        long length = in.getUnsignedInt(start + 8);
        try {
            check(version, type, flags, streamId, length);
        } catch (YamuxProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
        if (type == TYPE_DATA) {
            if (in.readableBytes() - HEADER_LENGTH < length) {
                return;
            }
            in.skipBytes(HEADER_LENGTH);
            if (length == 0) {
                out.add(new YamuxFrame(type, flags, streamId, 0));
            } else {
                out.add(new YamuxFrame(type, flags, streamId, length, in.readRetainedSlice((int) length)));
            }
        } else {
            in.skipBytes(HEADER_LENGTH);
            out.add(new YamuxFrame(type, flags, streamId, length));
        }
    }

    private void check(int version, int type, int flags, int streamId, long length) {
        if (version != VERSION) {
            throw new YamuxProtocolException("version: " + version + " (expected: " + VERSION + ")");
        }
        if (type > TYPE_GO_AWAY) {
            throw new YamuxProtocolException("type: " + type + " (expected: 0..3)");
        }
        if ((flags & ~ALL_FLAGS) != 0) {
            throw new YamuxProtocolException("flags: 0x" + Integer.toHexString(flags) + " (expected: SYN|ACK|FIN|RST)");
        }
        String name = YamuxFrame.typeName(type);
        switch (type) {
            case TYPE_DATA, TYPE_WINDOW_UPDATE -> {
                if (streamId == 0) {
                    throw new YamuxProtocolException(name + " stream id: 0 (expected: > 0)");
                }
                if ((flags & (FLAG_SYN | FLAG_ACK)) == (FLAG_SYN | FLAG_ACK)) {
                    throw new YamuxProtocolException(name + " flags: SYN and ACK together");
                }
                if (type == TYPE_DATA && length > maxDataLength) {
                    throw new YamuxProtocolException(
                            "DATA length: " + length + " (expected: <= " + maxDataLength + ")");
                }
            }
            case TYPE_PING -> {
                if (streamId != 0) {
                    throw new YamuxProtocolException(name + " stream id: " + Integer.toUnsignedLong(streamId)
                            + " (expected: 0)");
                }
                if (flags != FLAG_SYN && flags != FLAG_ACK) {
                    throw new YamuxProtocolException(
                            name + " flags: 0x" + Integer.toHexString(flags) + " (expected: SYN or ACK)");
                }
            }
            default -> {
                if (streamId != 0) {
                    throw new YamuxProtocolException(name + " stream id: " + Integer.toUnsignedLong(streamId)
                            + " (expected: 0)");
                }
                if (flags != 0) {
                    throw new YamuxProtocolException(
                            name + " flags: 0x" + Integer.toHexString(flags) + " (expected: 0)");
                }
            }
        }
    }
}
