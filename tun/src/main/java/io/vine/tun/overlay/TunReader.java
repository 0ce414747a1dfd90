package io.vine.tun.overlay;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.vine.tun.TunDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the device's queues. Each queue starts on a platform thread of its own that waits for a
 * frame, then reads whatever else the device already holds without waiting (up to {@value #MAX_BATCH}
 * frames or {@value #MAX_BATCH_BYTES} bytes), each into a pooled direct buffer with room for the length
 * prefix in front; routes and frames each ({@link PacketPlane#route}) and hands the batch to the
 * streams' event loops in one task per loop ({@link PacketBatch}), so a busy sender pays one event-loop
 * wake-up per batch rather than per packet.
 *
 * <p>Once a batch went to streams of one Netty epoll event loop, and the queue has a file descriptor
 * ({@link TunDevice#descriptor()}, a Linux device), the thread hands the queue to that loop and ends:
 * the loop then waits for the queue along with its sockets and reads it itself
 * ({@link EventLoopQueueReader}), so packets to the peers on that loop are written without crossing
 * threads. Through the overlay (iperf3, TLS, offloads) this carried 18 to 19 Gbit/s where the thread
 * carried 15.5 to 16 in the same minutes, for the same CPU. The system property {@value #LOOP_READS}
 * set to {@code false} keeps every queue on its thread.
 *
 * <p>Bounds: at most {@value #MAX_IN_FLIGHT} batches per queue wait for event loops other than the
 * reading one; beyond, a reader thread blocks until one is written, and a reading event loop stops
 * reading the queue until then. That wait lasts only until the event loop gets to the task, not until
 * the network drains: a stream that is not writable drops its packets on its event loop (counted as
 * backpressure), so a slow peer does not stall packets to the others. While a reader waits, packets
 * queue in the kernel's TUN queue, which drops beyond its own bound. Stops when the device closes
 * (reads return -1) or {@link #stop} is called.
 */
final class TunReader {
    private static final Logger log = LoggerFactory.getLogger(TunReader.class);
    private static final long POLL_MILLIS = 200;
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(5);
    /** Set to false to read every queue on a thread of its own. */
    static final String LOOP_READS = "io.vine.tun.loopReads";
    /** Packets per batch at most. */
    static final int MAX_BATCH = 64;
    /** Framed bytes per batch at most (a few superpackets with offloads). */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Batches handed to other event loops and not yet written, per queue. */
    static final int MAX_IN_FLIGHT = 4;

    private final TunDevice device;
    private final PacketPlane packets;
    private final ByteBufAllocator alloc;
    private final Counters counters;
    private final boolean loopReads;
    private final List<Thread> threads = new ArrayList<>();
    /** Queues read by event loops; guarded by this, with {@link #running}. */
    private final List<EventLoopQueueReader> onLoops = new ArrayList<>();
    private volatile boolean running = true;
    private final BooleanSupplier isRunning = () -> running;

    TunReader(TunDevice device, PacketPlane packets, ByteBufAllocator alloc) {
        this.device = device;
        this.counters = packets.counters();
        this.packets = packets;
        this.alloc = alloc;
        this.loopReads = Boolean.parseBoolean(System.getProperty(LOOP_READS, "true"));
    }

    void start() {
        for (int i = 0; i < device.queueCount(); i++) {
            TunDevice queue = device.queue(i);
            boolean handOver = loopReads && queue.descriptor() >= 0;
            Thread t = Thread.ofPlatform().daemon().name("vine-tun-" + device.name() + "-" + i).unstarted(() -> loop(queue, handOver));
            threads.add(t);
            t.start();
        }
    }

    /** How many queues event loops read (the others have threads). */
    synchronized int queuesOnEventLoops() {
        return onLoops.size();
    }

    private void loop(TunDevice queue, boolean handOver) {
        TunFrameReader frames = new TunFrameReader(queue, packets, alloc);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Queue<PacketBatch> free = new ConcurrentLinkedQueue<>();
        try {
            boolean open = true;
            while (running && open) {
                PacketBatch batch = free.poll();
                if (batch == null) {
                    batch = new PacketBatch(counters, MAX_BATCH, free);
                }
                // Block for the first packet, then take what the device already holds, without waiting.
                open = frames.fill(batch, POLL_MILLIS, isRunning) >= 0;
                if (batch.size() == 0) {
                    continue;
                }
                EventLoop target = batch.onlyLoop();
                if (!batch.dispatch(inFlight, isRunning)) {
                    return;
                }
                if (open && handOver && target instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class)) {
                    if (handOver(queue, io)) {
                        return;
                    }
                    handOver = false; // the loop refused it (logged): stay on this thread
                }
            }
        } finally {
            frames.release();
        }
    }

    /**
     * Moves reading {@code queue} to {@code loop}; true if the loop reads it now. The batches this
     * thread handed on count against the thread's permits, not the loop reader's.
     */
    private synchronized boolean handOver(TunDevice queue, IoEventLoop loop) {
        if (!running) {
            return false;
        }
        EventLoopQueueReader reader = new EventLoopQueueReader(queue, packets, alloc, loop);
        if (!reader.register(HANDOVER_TIMEOUT)) {
            return false;
        }
        onLoops.add(reader);
        log.debug("{}: read by event loop {} from now on", queue.name(), loop);
        return true;
    }

    /**
     * Stops the readers: the event loops stop reading their queues (waiting for each), then the threads
     * are joined. Call {@link #detach()} before closing the device and this after, so that a closed
     * descriptor is never left registered with an event loop and closing wakes the threads at once.
     */
    void stop() {
        detach();
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops every reader from reading: threads at their next wake-up, event loops now (waits for them). Idempotent. */
    void detach() {
        List<EventLoopQueueReader> readers;
        synchronized (this) {
            running = false;
            readers = List.copyOf(onLoops);
            onLoops.clear();
        }
        for (EventLoopQueueReader r : readers) {
            r.stop(HANDOVER_TIMEOUT);
        }
    }
}
