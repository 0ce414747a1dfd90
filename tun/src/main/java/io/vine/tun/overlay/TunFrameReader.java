package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads frames of one TUN queue, each into a pooled direct buffer with {@link PacketPlane#HEADROOM}
 * free in front for the length prefix, and routes each into a batch ({@link PacketPlane#route}). The
 * buffer a frame was not read into yet is kept for the next read; {@link #release} frees it.
 */
final class TunFrameReader {
    private static final Logger log = LoggerFactory.getLogger(TunFrameReader.class);

    private final TunDevice queue;
    private final PacketPlane packets;
    private final ByteBufAllocator alloc;
    private final int bufferSize;
    private ByteBuf buf;

    TunFrameReader(TunDevice queue, PacketPlane packets, ByteBufAllocator alloc) {
        this.queue = queue;
        this.packets = packets;
        this.alloc = alloc;
        this.bufferSize = PacketPlane.HEADROOM + queue.minReadBuffer();
    }

    /**
     * Reads and routes frames into {@code batch} until it holds {@link TunReader#MAX_BATCH} frames or
     * {@link TunReader#MAX_BATCH_BYTES} bytes or the queue has no frame ready; waits up to
     * {@code firstWaitMillis} for the first. Returns the frames read, or -1 if the queue is closed or its
     * read failed (logged while {@code running}); what was routed stays in the batch either way.
     */
    int fill(PacketBatch batch, long firstWaitMillis, BooleanSupplier running) {
        int frames = 0;
        long wait = firstWaitMillis;
        while (!batch.isFull() && batch.bytes() < TunReader.MAX_BATCH_BYTES) {
            if (buf == null) {
                buf = alloc.directBuffer(bufferSize, bufferSize);
            }
            buf.setIndex(PacketPlane.HEADROOM, PacketPlane.HEADROOM);
            int n;
            try {
                n = queue.read(buf, wait, TimeUnit.MILLISECONDS);
            } catch (TunException e) {
                if (running.getAsBoolean()) {
                    log.warn("{}: read failed, reader stops", queue.name(), e);
                }
                n = -1;
            }
            if (n <= 0) {
                return n < 0 ? -1 : frames;
            }
            frames++;
            wait = 0;
            try {
                if (packets.route(buf, batch) == null && batch.holds(buf)) {
                    buf = null;
                }
            } catch (RuntimeException e) {
                log.warn("{}: packet dropped after an unexpected failure", queue.name(), e);
            }
        }
        return frames;
    }

    /** Frees the buffer kept for the next read. Idempotent. */
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }
}
