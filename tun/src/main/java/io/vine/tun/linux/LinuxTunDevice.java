package io.vine.tun.linux;

import static java.util.Objects.requireNonNull;

import io.vine.tun.TunDevice;
import io.vine.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A TUN device (or one queue of a multi-queue device) backed by file descriptors of /dev/net/tun. */
final class LinuxTunDevice implements TunDevice {
    private final String name;
    private final int mtu;
    private final boolean vnetHdr;
    private final List<TunQueue> queues;
    private final int index;

    LinuxTunDevice(String name, int mtu, boolean vnetHdr, List<TunQueue> queues, int index) {
        this.name = name;
        this.mtu = mtu;
        this.vnetHdr = vnetHdr;
        this.queues = queues;
        this.index = index;
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
        return queues.size();
    }

    @Override
    public TunDevice queue(int i) {
        if (i < 0 || i >= queues.size()) {
            throw new IndexOutOfBoundsException("index: " + i + " (expected: 0.." + (queues.size() - 1) + ")");
        }
        return i == index ? this : new LinuxTunDevice(name, mtu, vnetHdr, queues, i);
    }

    @Override
    public int read(ByteBuffer dst, long timeout, TimeUnit unit) {
        requireNonNull(dst, "dst");
        requireNonNull(unit, "unit");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst: read-only (expected: writable)");
        }
        if (dst.remaining() < minReadBuffer()) {
            throw new IllegalArgumentException("dst: " + dst.remaining() + " bytes remaining (expected: >= "
                    + minReadBuffer() + ")");
        }
        return queues.get(index).read(dst, unit.toNanos(Math.max(0, timeout)));
    }

    @Override
    public void write(ByteBuffer packet) {
        requireNonNull(packet, "packet");
        int min = vnetHdr ? VirtioNetHeader.LENGTH + 1 : 1;
        int max = vnetHdr ? MAX_OFFLOAD_FRAME : 65535;
        if (packet.remaining() < min || packet.remaining() > max) {
            throw new IllegalArgumentException("packet: " + packet.remaining() + " bytes (expected: " + min + ".." + max + ")");
        }
        queues.get(index).write(packet);
    }

    @Override
    public int descriptor() {
        return queues.get(index).fd();
    }

    @Override
    public void close() {
        for (TunQueue q : queues) {
            q.close();
        }
    }

    @Override
    public String toString() {
        return "LinuxTunDevice{" + name + ", mtu=" + mtu + (vnetHdr ? ", vnetHdr" : "")
                + (queues.size() > 1 ? ", queue " + index + "/" + queues.size() : "") + "}";
    }
}
