package io.vine.tun;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * A layer-3 virtual network device: each read returns one IP packet the host stack sent into the
 * device, each write hands one IP packet to the host stack.
 *
 * <p>When {@link #vnetHdr()} is true every frame, read or written, starts with a
 * {@link VirtioNetHeader} ({@value VirtioNetHeader#LENGTH} bytes) and a read may return a TCP
 * superpacket larger than the MTU (up to {@value #MAX_OFFLOAD_FRAME} bytes) that the header says how to
 * segment; a written frame may be such a superpacket too.
 *
 * <p>Reads block the calling thread (use a dedicated platform thread, not a virtual one) until a
 * packet arrives, the timeout passes or the device is closed; {@link #close()} wakes blocked readers.
 * Reads and writes may run on different threads at the same time. A multi-queue device spreads its
 * packets over {@link #queueCount()} queues, each read separately through {@link #queue(int)}.
 */
public interface TunDevice extends AutoCloseable {
    /** Largest frame a read can return when {@link #vnetHdr()} is on: header plus a 64 KiB superpacket. */
    int MAX_OFFLOAD_FRAME = VirtioNetHeader.LENGTH + 65535;

    /** The interface name. */
    String name();

    /** The link MTU. */
    int mtu();

    /** Whether frames carry a virtio-net header (offloads on). */
    boolean vnetHdr();

    /** The number of queues; 1 unless the device is multi-queue. */
    int queueCount();

    /** Queue {@code index} of this device ({@code queue(0)} reads and writes like this device). */
    TunDevice queue(int index);

    /** The smallest {@code dst.remaining()} a read accepts: the MTU, or {@link #MAX_OFFLOAD_FRAME} with offloads. */
    default int minReadBuffer() {
        return vnetHdr() ? MAX_OFFLOAD_FRAME : mtu();
    }

    /**
     * Reads one frame into {@code dst} from its position, and advances the position past it.
     *
     * @return the frame length, 0 if {@code timeout} passed first, -1 if the device is closed
     * @throws IllegalArgumentException if {@code dst.remaining() < minReadBuffer()}
     * @throws TunException if the read failed
     */
    int read(ByteBuffer dst, long timeout, TimeUnit unit);

    /** Reads one frame, waiting as long as it takes. Returns the length, or -1 once the device is closed. */
    default int read(ByteBuffer dst) {
        return read(dst, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Reads one frame into {@code dst} at its writer index (which must be backed by one NIO buffer) and
     * advances the writer index. Same results as {@link #read(ByteBuffer, long, TimeUnit)}.
     */
    default int read(ByteBuf dst, long timeout, TimeUnit unit) {
        requireNonNull(dst, "dst");
        if (dst.nioBufferCount() != 1) {
            throw new IllegalArgumentException("dst: " + dst.nioBufferCount() + " NIO buffers (expected: 1)");
        }
        ByteBuffer nio = dst.nioBuffer(dst.writerIndex(), dst.writableBytes());
        int n = read(nio, timeout, unit);
        if (n > 0) {
            dst.writerIndex(dst.writerIndex() + n);
        }
        return n;
    }

    /**
     * Writes one frame: the bytes from {@code packet}'s position to its limit (the position moves to the limit).
     *
     * @throws IllegalArgumentException if the frame is empty or larger than the device allows
     * @throws TunException if the device is closed or the kernel refused the frame
     */
    void write(ByteBuffer packet);

    /** Writes the readable bytes of {@code packet} as one frame; does not release or move it. */
    default void write(ByteBuf packet) {
        requireNonNull(packet, "packet");
        write(packet.nioBuffer());
    }

    /**
     * This queue's file descriptor, non-blocking, for an event loop to wait on until it is readable and
     * then read it with a zero timeout; -1 if the device has none (in memory). It stays the device's:
     * stop waiting on it before {@link #close()}.
     */
    default int descriptor() {
        return -1;
    }

    /** Closes every queue of the device and wakes blocked readers (they return -1). Idempotent. */
    @Override
    void close();
}
