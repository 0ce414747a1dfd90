package io.vine.tun;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link TunDevice} in memory, for tests and demos without root: {@link #pair} makes two connected
 * ends, the device an overlay reads and writes, and the "host" end that plays the kernel's part.
 * A frame written on one end is read on the other. Each end queues at most {@code capacity} frames;
 * writing to a full or closed end drops the frame and counts it in {@link #drops()}, as a real
 * device's transmit queue does. Single queue; frames carry a virtio-net header when the config says so
 * (passed through untouched).
 */
public final class MemoryTunDevice implements TunDevice {
    /** Frames an end queues when no capacity is given. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final String name;
    private final int mtu;
    private final boolean vnetHdr;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private final AtomicLong drops = new AtomicLong();
    private MemoryTunDevice peer;
    private boolean closed;

    private MemoryTunDevice(String name, int mtu, boolean vnetHdr, int capacity) {
        this.name = name;
        this.mtu = mtu;
        this.vnetHdr = vnetHdr;
        this.capacity = capacity;
    }

    /** The two ends of an in-memory device: {@code device} named as configured, {@code host} named "-host" after it. */
    public record Pair(MemoryTunDevice device, MemoryTunDevice host) {}

    /** A connected pair with the name, MTU and vnetHdr of {@code config} and {@link #DEFAULT_CAPACITY}. */
    public static Pair pair(TunConfig config) {
        return pair(config, DEFAULT_CAPACITY);
    }

    /** A connected pair with the name, MTU and vnetHdr of {@code config}; each end queues up to {@code capacity} frames. */
    public static Pair pair(TunConfig config, int capacity) {
        requireNonNull(config, "config");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        MemoryTunDevice a = new MemoryTunDevice(config.name(), config.mtu(), config.vnetHdr(), capacity);
        MemoryTunDevice b = new MemoryTunDevice(config.name() + "-host", config.mtu(), config.vnetHdr(), capacity);
        a.peer = b;
        b.peer = a;
        return new Pair(a, b);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean vnetHdr() {
        return vnetHdr;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public TunDevice queue(int index) {
        if (index != 0) {
            throw new IndexOutOfBoundsException("index: " + index + " (expected: 0, the only queue)");
        }
        return this;
    }

    /** Frames written to this end that the other end could not take (full or closed). */
    public long drops() {
        return drops.get();
    }

    @Override
    public int read(ByteBuffer dst, long timeout, TimeUnit unit) {
        requireNonNull(dst, "dst");
        requireNonNull(unit, "unit");
        if (dst.remaining() < minReadBuffer()) {
            throw new IllegalArgumentException("dst: " + dst.remaining() + " bytes remaining (expected: >= "
                    + minReadBuffer() + ")");
        }
        long remaining = unit.toNanos(Math.max(0, timeout));
        lock.lock();
        try {
            while (inbox.isEmpty()) {
                if (closed) {
                    return -1;
                }
                if (remaining <= 0) {
                    return 0;
                }
                remaining = readable.awaitNanos(remaining);
            }
            if (closed) {
                return -1;
            }
            byte[] frame = inbox.poll();
            dst.put(frame);
            return frame.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunException(name + ": read interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(ByteBuffer packet) {
        requireNonNull(packet, "packet");
        int max = vnetHdr ? MAX_OFFLOAD_FRAME : mtu;
        int min = vnetHdr ? VirtioNetHeader.LENGTH + 1 : 1;
        if (packet.remaining() < min || packet.remaining() > max) {
            throw new IllegalArgumentException("packet: " + packet.remaining() + " bytes (expected: " + min + ".." + max + ")");
        }
        if (isClosed()) {
            throw new TunException(name + ": closed");
        }
        byte[] frame = new byte[packet.remaining()];
        packet.get(frame);
        if (!peer.offer(frame)) {
            drops.incrementAndGet();
        }
    }

    private boolean offer(byte[] frame) {
        lock.lock();
        try {
            if (closed || inbox.size() >= capacity) {
                return false;
            }
            inbox.add(frame);
            readable.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes this end only; frames written to it from now on are dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            inbox.clear();
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "MemoryTunDevice{" + name + ", mtu=" + mtu + "}";
    }
}
