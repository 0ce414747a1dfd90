package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.vine.core.StreamChannel;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Framed packets the TUN reader collected for one or more packet streams, written by one task per
 * event loop with one flush per stream: the reader thread pays one event-loop wake-up per batch instead
 * of one per packet. Each entry's buffer is already framed (length prefix then payload) and owned by
 * the batch until written or dropped. Whether a stream can take more is decided on its event loop,
 * just before the write: a stream that is not writable drops the packet ({@link DropReason#BACKPRESSURE}).
 */
final class PacketBatch {
    private static final long WAIT_MILLIS = 100;
    private final Counters counters;
    private final StreamChannel[] streams;
    private final ByteBuf[] frames;
    private final int[] ipBytes;
    private final boolean[] relayed;
    private final Queue<PacketBatch> home;
    private int size;
    private int bytes;

    /** An empty batch that, once written, empties itself and goes back to {@code home} if not null. */
    PacketBatch(Counters counters, int capacity, Queue<PacketBatch> home) {
        this.counters = counters;
        this.home = home;
        this.streams = new StreamChannel[capacity];
        this.frames = new ByteBuf[capacity];
        this.ipBytes = new int[capacity];
        this.relayed = new boolean[capacity];
    }

    /** Takes ownership of {@code frame} (framed: prefix and payload), {@code ip} bytes of IP packet, for {@code stream}. */
    void add(StreamChannel stream, ByteBuf frame, int ip, boolean relay) {
        streams[size] = stream;
        frames[size] = frame;
        ipBytes[size] = ip;
        relayed[size] = relay;
        bytes += frame.readableBytes();
        size++;
    }

    /** Whether the last entry added is {@code frame} itself (then the batch owns it). */
    boolean holds(ByteBuf frame) {
        return size > 0 && frames[size - 1] == frame;
    }

    /**
     * Sends a one-stream batch from any thread: drops it (counted) if the stream is not writable now,
     * else writes it on the stream's event loop. Returns whether it was handed on.
     */
    boolean sendNow() {
        StreamChannel s = streams[0];
        if (!s.isWritable()) {
            drop(DropReason.BACKPRESSURE);
            recycle();
            return false;
        }
        try {
            s.eventLoop().execute(() -> {
                write();
                recycle();
            });
        } catch (RejectedExecutionException e) {
            drop(DropReason.NO_SESSION);
            recycle();
            return false;
        }
        return true;
    }

    int size() {
        return size;
    }

    /** Framed bytes held. */
    int bytes() {
        return bytes;
    }

    boolean isFull() {
        return size == frames.length;
    }

    /**
     * Hands the packets to their streams' event loops: one task per loop (one in the usual case of a
     * single peer or peers sharing a loop). Each task first takes a permit of {@code inFlight}, which
     * its end returns; waits for one while the loops lag behind, so the batches queued for them stay
     * bounded. Returns false (packets released, not counted) if interrupted or stopped ({@code running}
     * turned false) while waiting.
     */
    boolean dispatch(Semaphore inFlight, BooleanSupplier running) {
        EventLoop first = streams[0].eventLoop();
        boolean single = true;
        for (int i = 1; i < size && single; i++) {
            single = streams[i].eventLoop() == first;
        }
        if (single) {
            return submit(first, this, inFlight, running);
        }
        try {
            return split(inFlight, running);
        } finally {
            recycle();
        }
    }

    private boolean split(Semaphore inFlight, BooleanSupplier running) {
        boolean[] taken = new boolean[size];
        for (int i = 0; i < size; i++) {
            if (taken[i]) {
                continue;
            }
            EventLoop loop = streams[i].eventLoop();
            PacketBatch part = new PacketBatch(counters, size - i, null);
            for (int j = i; j < size; j++) {
                if (!taken[j] && streams[j].eventLoop() == loop) {
                    part.add(streams[j], frames[j], ipBytes[j], relayed[j]);
                    taken[j] = true;
                }
            }
            if (!submit(loop, part, inFlight, running)) {
                for (int j = i + 1; j < size; j++) {
                    if (!taken[j]) {
                        frames[j].release();
                    }
                }
                return false;
            }
        }
        return true;
    }

    private static boolean submit(EventLoop loop, PacketBatch batch, Semaphore inFlight, BooleanSupplier running) {
        try {
            while (!inFlight.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!running.getAsBoolean()) {
                    batch.release();
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            batch.release();
            return false;
        }
        try {
            loop.execute(() -> {
                try {
                    batch.write();
                } finally {
                    inFlight.release();
                    batch.recycle();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.release();
            batch.drop(DropReason.NO_SESSION);
            batch.recycle();
        }
        return true;
    }

    /** On the streams' event loop: writes every packet its stream can take, then flushes each stream once. */
    void write() {
        StreamChannel last = null;
        for (int i = 0; i < size; i++) {
            StreamChannel s = streams[i];
            if (!s.isWritable()) {
                frames[i].release();
                counters.drop(DropReason.BACKPRESSURE);
                continue;
            }
            if (last != null && last != s) {
                last.flush();
            }
            last = s;
            s.write(frames[i], s.voidPromise());
            counters.packetsSent.increment();
            counters.bytesSent.add(ipBytes[i]);
            if (relayed[i]) {
                counters.relayUsage.increment();
            }
        }
        if (last != null) {
            last.flush();
        }
    }

    /** Forgets the entries (their buffers were written, released or handed on) and goes home. */
    private void recycle() {
        Arrays.fill(streams, 0, size, null);
        Arrays.fill(frames, 0, size, null);
        size = 0;
        bytes = 0;
        if (home != null) {
            home.offer(this);
        }
    }

    private void drop(DropReason reason) {
        for (int i = 0; i < size; i++) {
            frames[i].release();
            counters.drop(reason);
        }
    }

    private void release() {
        for (int i = 0; i < size; i++) {
            frames[i].release();
        }
    }
}
