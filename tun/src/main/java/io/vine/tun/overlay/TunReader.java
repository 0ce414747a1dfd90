package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread per device queue: waits for a frame, then reads whatever else the device already
 * holds without waiting (up to {@value #MAX_BATCH} frames or {@value #MAX_BATCH_BYTES} bytes), each into
 * a pooled direct buffer with room for the length prefix in front; routes and frames each
 * ({@link PacketPlane#route}) and hands the batch to the streams' event loops in one task per loop
 * ({@link PacketBatch}), so a busy sender pays one event-loop wake-up per batch rather than per packet.
 *
 * <p>Bounds: at most {@value #MAX_IN_FLIGHT} batches per queue wait for their event loops; beyond, the
 * reader blocks until one is written. That wait lasts only until the event loop gets to the task, not
 * until the network drains: a stream that is not writable still drops its packets on the event loop
 * (counted as backpressure), so a slow peer does not stall packets to the others. While the reader
 * waits, packets queue in the kernel's TUN queue, which drops beyond its own bound.
 * Stops when the device closes (reads return -1) or {@link #stop} is called.
 */
final class TunReader {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);
    private static final long POLL_MILLIS = 200;
    /** Packets per batch at most. */
    static final int MAX_BATCH = 64;
    /** Framed bytes per batch at most (a few superpackets with offloads). */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Batches handed to event loops and not yet written, per queue; the reader waits beyond. */
    static final int MAX_IN_FLIGHT = 4;

    private final TunDevice device;
    private final PacketPlane packets;
    private final ByteBufAllocator alloc;
    private final Counters counters;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    TunReader(TunDevice device, PacketPlane packets, ByteBufAllocator alloc) {
        this.device = device;
        this.counters = packets.counters();
        this.packets = packets;
        this.alloc = alloc;
    }

    void start() {
        for (int i = 0; i < device.queueCount(); i++) {
            TunDevice queue = device.queue(i);
            Thread t = Thread.ofPlatform().daemon().name("vine-tun-" + device.name() + "-" + i).unstarted(() -> loop(queue));
            threads.add(t);
            t.start();
        }
    }

    private void loop(TunDevice queue) {
        int size = PacketPlane.HEADROOM + queue.minReadBuffer();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Queue<PacketBatch> free = new ConcurrentLinkedQueue<>();
        ByteBuf buf = null;
        boolean open = true;
        try {
            while (running && open) {
                PacketBatch batch = free.poll();
                if (batch == null) {
                    batch = new PacketBatch(counters, MAX_BATCH, free);
                }
                // Block for the first packet, then take what the device already holds, without waiting.
                long timeout = POLL_MILLIS;
                while (!batch.isFull() && batch.bytes() < MAX_BATCH_BYTES) {
                    if (buf == null) {
                        buf = alloc.directBuffer(size, size);
                    }
                    buf.setIndex(PacketPlane.HEADROOM, PacketPlane.HEADROOM);
                    int n;
                    try {
                        n = queue.read(buf, timeout, TimeUnit.MILLISECONDS);
                    } catch (TunException e) {
                        if (running) {
                            log.warn("{}: read failed, reader stops", queue.name(), e);
                        }
                        n = -1;
                    }
                    if (n < 0) {
                        open = false;
                        break;
                    }
                    if (n == 0) {
                        break;
                    }
                    timeout = 0;
                    try {
                        if (packets.route(buf, batch) == null && batch.holds(buf)) {
                            buf = null;
                        }
                    } catch (RuntimeException e) {
                        log.warn("{}: packet dropped after an unexpected failure", queue.name(), e);
                    }
                }
                if (batch.size() > 0 && !batch.dispatch(inFlight, () -> running)) {
                    return;
                }
            }
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    /** Stops the readers and waits for them (the device should be closed first to wake them at once). */
    void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
