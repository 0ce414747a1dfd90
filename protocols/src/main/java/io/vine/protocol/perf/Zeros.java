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
     * Writes zeros to {@code channel} while it is writable, at most {@code left} bytes, and flushes;
     * returns how many bytes it wrote.
     */
    static long pump(Channel channel, long left) {
        long written = 0;
        while (written < left && channel.isWritable()) {
            int n = (int) Math.min(CHUNK, left - written);
            channel.write(slice(n), channel.voidPromise());
            written += n;
        }
        if (written > 0) {
            channel.flush();
        }
        return written;
    }
}
