package io.vine.security.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Gathers the bytes the {@link io.netty.handler.ssl.SslHandler} receives in heap buffers, so that the
 * JDK's engine decrypts TLS records in byte arrays. The JDK's AES-GCM runs on an array in one call of
 * its intrinsic; on a direct buffer (what a socket read gives) it goes through 768-byte chunks, each
 * copied into an array and back. A profile of an overlay node receiving over TLS showed that chunked
 * path as the largest item of its event loop; one copy of each read into a heap buffer costs less
 * (the record layer alone, encrypting and decrypting on one thread with socket-like direct reads:
 * about 20% more bytes per CPU-second once compiled, more while the JIT warms up; see
 * HeapCumulatorCpuTest).
 *
 * <p>Otherwise it does what Netty's merge cumulator does: a heap read that arrives with nothing
 * pending is used as is; anything else is appended to the pending heap buffer, which is replaced by a
 * larger one when it cannot grow in place or is shared.
 */
final class HeapCumulator implements ByteToMessageDecoder.Cumulator {
    static final HeapCumulator INSTANCE = new HeapCumulator();

    /** The smallest heap cumulation: one whole TLS record (16 KiB of plaintext plus overhead). */
    private static final int MIN_CAPACITY = 16 * 1024 + 256;

    private HeapCumulator() {}

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && in.hasArray() && in.refCnt() == 1 && !in.isReadOnly()) {
            cumulation.release();
            return in;
        }
        try {
            int n = in.readableBytes();
            if (!cumulation.hasArray() || cumulation.refCnt() > 1 || cumulation.isReadOnly()
                    || cumulation.maxWritableBytes() < n) {
                ByteBuf heap = alloc.heapBuffer(Math.max(MIN_CAPACITY, cumulation.readableBytes() + n));
                heap.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes()); // leaves its indexes
                cumulation.release();
                cumulation = heap;
            }
            cumulation.writeBytes(in); // a heap buffer grows as a heap buffer
            return cumulation;
        } finally {
            in.release();
        }
    }
}
