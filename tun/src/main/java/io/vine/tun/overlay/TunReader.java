package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread per device queue: reads a frame into a pooled direct buffer, hands it to the
 * packet path (which drops rather than blocks when the session's stream is full), releases it.
 * Stops when the device closes (reads return -1) or {@link #stop} is called.
 */
final class TunReader {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);
    private static final long POLL_MILLIS = 200;

    private final TunDevice device;
    private final PacketPlane packets;
    private final ByteBufAllocator alloc;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    TunReader(TunDevice device, PacketPlane packets, ByteBufAllocator alloc) {
        this.device = device;
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
        int size = queue.minReadBuffer();
        while (running) {
            ByteBuf buf = alloc.directBuffer(size, size);
            try {
                int n = queue.read(buf, POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (n < 0) {
                    return;
                }
                if (n > 0) {
                    packets.send(buf);
                }
            } catch (TunException e) {
                if (running) {
                    log.warn("{}: read failed, reader stops", queue.name(), e);
                }
                return;
            } catch (RuntimeException e) {
                log.warn("{}: packet dropped after an unexpected failure", queue.name(), e);
            } finally {
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
