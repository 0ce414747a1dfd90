package io.vine.security.tls;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Keeps the TLS records the JDK's engine encrypts and decrypts in heap memory. The JDK's AES-GCM is
 * intrinsified on byte arrays; on direct buffers it takes a slower path (JDK 25, 16 KiB records, per
 * CPU-second on the 2-core development machine: encryption about 110 Gbit/s on arrays against 35 on
 * direct buffers, encryption plus decryption 33 against 17.5). Netty's {@link
 * io.netty.handler.ssl.SslHandler} runs the JDK engine on whatever buffers it is given: received bytes
 * as the socket read them (direct), records to send in buffers from {@code alloc.buffer()} (direct with
 * Netty's default allocators). A copy between direct and heap memory costs far less than that
 * difference, so:
 *
 * <ul>
 *   <li>{@link #CUMULATOR} gathers received bytes for the SslHandler in heap buffers, so that the
 *       engine decrypts records in place in a byte array;</li>
 *   <li>{@link #allocator} makes {@code buffer()} a heap buffer on the connection's channel, so that
 *       the SslHandler's outgoing records (and the plaintext it hands on) are arrays; everything that
 *       asks for direct or I/O buffers still gets them, and the transport copies a heap buffer into
 *       direct memory for the socket as it does for any heap buffer.</li>
 * </ul>
 */
final class HeapRecords {
    /** The smallest heap cumulation: one whole TLS record (16 KiB of plaintext plus overhead). */
    private static final int MIN_CUMULATION = 16 * 1024 + 256;

    /**
     * ByteToMessageDecoder's merge cumulator, but into heap memory: a heap buffer that arrives with
     * nothing pending is used as is; a direct one is copied into a heap buffer; pending bytes grow
     * into a larger heap buffer when the next read does not fit.
     */
    static final ByteToMessageDecoder.Cumulator CUMULATOR = (alloc, cumulation, in) -> {
        if (!cumulation.isReadable() && in.hasArray() && in.refCnt() == 1 && !in.isReadOnly()) {
            cumulation.release();
            return in;
        }
        try {
            int n = in.readableBytes();
            if (!cumulation.hasArray() || cumulation.refCnt() > 1 || cumulation.isReadOnly()
                    || cumulation.maxWritableBytes() < n) {
                ByteBuf heap = alloc.heapBuffer(Math.max(MIN_CUMULATION, cumulation.readableBytes() + n));
                heap.writeBytes(cumulation);
                cumulation.release();
                cumulation = heap;
            }
            cumulation.writeBytes(in); // a heap buffer grows as a heap buffer
            return cumulation;
        } finally {
            in.release();
        }
    };

    private HeapRecords() {}

    /** {@code alloc}, except that {@code buffer(...)} gives heap buffers. */
    static ByteBufAllocator allocator(ByteBufAllocator alloc) {
        requireNonNull(alloc, "alloc");
        return alloc instanceof HeapFirst ? alloc : new HeapFirst(alloc);
    }

    /** Delegates everything, except that the default kind of buffer is a heap buffer. */
    private record HeapFirst(ByteBufAllocator delegate) implements ByteBufAllocator {
        @Override
        public ByteBuf buffer() {
            return delegate.heapBuffer();
        }

        @Override
        public ByteBuf buffer(int initialCapacity) {
            return delegate.heapBuffer(initialCapacity);
        }

        @Override
        public ByteBuf buffer(int initialCapacity, int maxCapacity) {
            return delegate.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public ByteBuf ioBuffer() {
            return delegate.ioBuffer();
        }

        @Override
        public ByteBuf ioBuffer(int initialCapacity) {
            return delegate.ioBuffer(initialCapacity);
        }

        @Override
        public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
            return delegate.ioBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public ByteBuf heapBuffer() {
            return delegate.heapBuffer();
        }

        @Override
        public ByteBuf heapBuffer(int initialCapacity) {
            return delegate.heapBuffer(initialCapacity);
        }

        @Override
        public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
            return delegate.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public ByteBuf directBuffer() {
            return delegate.directBuffer();
        }

        @Override
        public ByteBuf directBuffer(int initialCapacity) {
            return delegate.directBuffer(initialCapacity);
        }

        @Override
        public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
            return delegate.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public CompositeByteBuf compositeBuffer() {
            return delegate.compositeHeapBuffer();
        }

        @Override
        public CompositeByteBuf compositeBuffer(int maxNumComponents) {
            return delegate.compositeHeapBuffer(maxNumComponents);
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer() {
            return delegate.compositeHeapBuffer();
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return delegate.compositeHeapBuffer(maxNumComponents);
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer() {
            return delegate.compositeDirectBuffer();
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
            return delegate.compositeDirectBuffer(maxNumComponents);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return delegate.isDirectBufferPooled();
        }

        @Override
        public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
            return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
        }
    }
}
