package io.vine.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.ByteBuffer;

/**
 * The bytes perf sends: slices of one shared, read-only, never-released direct buffer of zeros, so a
 * transfer of any size allocates nothing in proportion to its size. Content never changes, so every
 * event loop may read it at once.
 */
final class Zeros {
    /** Bytes per write. */
    static final int CHUNK = 64 * 1024;
    /** Write buffer water marks of a perf stream: a few chunks in flight keep the muxer busy. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(4 * CHUNK, 8 * CHUNK);

    private static final ByteBuf ZEROS =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(CHUNK)).asReadOnly());

    private Zeros() {}

    /** {@code length} zero bytes, {@code 0 <= length <= CHUNK}; releasing it is a no-op. */
    static ByteBuf slice(int length) {
        return ZEROS.retainedSlice(0, length);
    }

    /**
     * Writes one chunk of zeros, at most {@code left} bytes, without flushing; returns its size. The
     * caller counts it before writing more or flushing: a flush may drain the stream and re-enter the
     * caller through {@code channelWritabilityChanged}.
     */
    static int write(Channel channel, long left) {
        int n = (int) Math.min(CHUNK, left);
        channel.write(slice(n), channel.voidPromise());
        return n;
    }
}
