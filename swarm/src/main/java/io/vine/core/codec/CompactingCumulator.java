package io.vine.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * A {@link ByteToMessageDecoder.Cumulator} for decoders of bulk streams (secure channels, muxers,
 * packet streams) that copies only the bytes still pending. Netty's merge cumulator appends each read
 * to the pending buffer and lets it grow; a pooled buffer grows by reallocation, which copies its
 * whole old capacity, consumed bytes included, and the decoder discards consumed bytes only every few
 * reads. Under a steady stream the buffer doubled again and again, and a profile of an overlay node
 * receiving over TLS showed those growth copies costing as much as the appends themselves.
 *
 * <p>Here a read that arrives with nothing pending is used as is (if it suits: see {@link #HEAP});
 * otherwise it is appended, after moving the pending bytes to the front if that makes room, or into a
 * new buffer (a power of two at least as large as pending plus read) that receives the pending bytes
 * alone. As with Netty's cumulators, the pending buffer is written into only while nothing else holds
 * it ({@code refCnt() == 1}): a decoder may have handed out retained slices of it, and each of those
 * holds a reference.
 */
public final class CompactingCumulator implements ByteToMessageDecoder.Cumulator {
    /** Keeps whatever memory the reads and the allocator give (direct, usually). */
    public static final CompactingCumulator ANY = new CompactingCumulator(false);

    /**
     * Gathers everything in heap buffers, of at least {@value #RECORD} bytes: for the JDK's TLS engine,
     * whose AES-GCM runs on a byte array in one call of its intrinsic but goes through 768-byte chunks,
     * each copied into an array and back, on direct memory (what a socket read gives).
     */
    public static final CompactingCumulator HEAP = new CompactingCumulator(true);

    /** One whole TLS record: 16 KiB of plaintext plus overhead. */
    static final int RECORD = 16 * 1024 + 256;

    private final boolean heap;

    private CompactingCumulator(boolean heap) {
        this.heap = heap;
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && suits(in) && in.refCnt() == 1) {
            cumulation.release();
            return in;
        }
        try {
            int n = in.readableBytes();
            int pending = cumulation.readableBytes();
            if (suits(cumulation) && cumulation.refCnt() == 1 && cumulation.capacity() - pending >= n) {
                if (cumulation.writableBytes() < n) {
                    cumulation.discardReadBytes(); // moves the pending bytes only
                }
            } else {
                int capacity = alloc.calculateNewCapacity(Math.max(heap ? RECORD : 0, pending + n), Integer.MAX_VALUE);
                ByteBuf fresh = heap ? alloc.heapBuffer(capacity) : alloc.buffer(capacity);
                fresh.writeBytes(cumulation, cumulation.readerIndex(), pending);
                cumulation.release();
                cumulation = fresh;
            }
            cumulation.writeBytes(in);
            return cumulation;
        } finally {
            in.release();
        }
    }

    private boolean suits(ByteBuf buf) {
        return (!heap || buf.hasArray()) && buf.isContiguous() && !buf.isReadOnly();
    }
}
