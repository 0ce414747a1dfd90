package io.vine.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One decoded yamux frame: the 12-byte header, and for a Data frame its payload ({@link #content()},
 * empty for the other types). Release it when done.
 */
final class YamuxFrame extends DefaultByteBufHolder {

    static final int HEADER_LENGTH = 12;
    static final int VERSION = 0;

    static final int TYPE_DATA = 0;
    static final int TYPE_WINDOW_UPDATE = 1;
    static final int TYPE_PING = 2;
    static final int TYPE_GO_AWAY = 3;

    static final int FLAG_SYN = 0x1;
    static final int FLAG_ACK = 0x2;
    static final int FLAG_FIN = 0x4;
    static final int FLAG_RST = 0x8;
    static final int ALL_FLAGS = FLAG_SYN | FLAG_ACK | FLAG_FIN | FLAG_RST;

    static final int GO_AWAY_NORMAL = 0;
    static final int GO_AWAY_PROTOCOL_ERROR = 1;
    static final int GO_AWAY_INTERNAL_ERROR = 2;

    /** The window every stream starts with, in both directions. */
    static final int DEFAULT_WINDOW = 256 * 1024;

    /** The largest value of the 32-bit unsigned length field. */
    static final long MAX_LENGTH = 0xFFFF_FFFFL;

    private final int type;
    private final int flags;
    private final int streamId;
    private final long length;

    YamuxFrame(int type, int flags, int streamId, long length, ByteBuf data) {
        super(data);
        this.type = type;
        this.flags = flags;
        this.streamId = streamId;
        this.length = length;
    }

    YamuxFrame(int type, int flags, int streamId, long length) {
        this(type, flags, streamId, length, Unpooled.EMPTY_BUFFER);
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    /** The stream id as the 32 bits of the wire; use {@link Integer#toUnsignedLong} to print it. */
    int streamId() {
        return streamId;
    }

    /** Data: payload bytes; WindowUpdate: delta; Ping: opaque value; GoAway: error code. */
    long length() {
        return length;
    }

    /** Encodes a frame header. */
    static ByteBuf header(ByteBufAllocator alloc, int type, int flags, int streamId, long length) {
        ByteBuf header = alloc.buffer(HEADER_LENGTH, HEADER_LENGTH);
        header.writeByte(VERSION);
        header.writeByte(type);
        header.writeShort(flags);
        header.writeInt(streamId);
        header.writeInt((int) length);
        return header;
    }

    static String typeName(int type) {
        return switch (type) {
            case TYPE_DATA -> "DATA";
            case TYPE_WINDOW_UPDATE -> "WINDOW_UPDATE";
            case TYPE_PING -> "PING";
            case TYPE_GO_AWAY -> "GO_AWAY";
            default -> "0x" + Integer.toHexString(type);
        };
    }

    @Override
    public YamuxFrame replace(ByteBuf content) {
        return new YamuxFrame(type, flags, streamId, length, content);
    }

    @Override
    public String toString() {
        return "YamuxFrame(" + typeName(type) + ", flags=0x" + Integer.toHexString(flags) + ", stream="
                + Integer.toUnsignedLong(streamId) + ", length=" + length + ")";
    }
}
