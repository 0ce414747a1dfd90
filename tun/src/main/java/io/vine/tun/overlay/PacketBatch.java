package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.vine.core.StreamChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Framed packets a TUN reader collected for one or more packet streams, written with one flush per
 * stream: by one task per event loop from a reader thread, which so pays one event-loop wake-up per
 * batch instead of one per packet, or at once by the event loop that read them if the streams live on it. Each entry's buffer is already framed (length prefix then payload) and owned by
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

    /** The event loop of every entry's stream, or null if they live on more than one (or there are none). */
    EventLoop onlyLoop() {
        if (size == 0) {
            return null;
        }
        EventLoop first = streams[0].eventLoop();
        return allOn(first) ? first : null;
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
        if (allOn(first)) {
            return submit(first, this, inFlight, running);
        }
        List<PacketBatch> parts = byLoop();
        for (int i = 0; i < parts.size(); i++) {
            PacketBatch part = parts.get(i);
            if (!submit(part.streams[0].eventLoop(), part, inFlight, running)) {
                for (PacketBatch rest : parts.subList(i + 1, parts.size())) {
                    rest.release();
                }
                return false;
            }
        }
        return true;
    }

    /**
     * On event loop {@code here}, which read the packets: writes those whose streams live on
     * {@code here} at once, and hands the others to their loops in one task per loop, each taking a
     * permit of {@code inFlight} that its end returns (then runs {@code returned}, on that loop). A part
     * that finds no permit, or finds {@code waiting} not empty, joins {@code waiting}, in order, for the
     * caller to hand on later ({@link #handOn}): an event loop must not wait. The batch is empty afterwards.
     */
    void dispatchFrom(EventLoop here, Semaphore inFlight, Runnable returned, Queue<PacketBatch> waiting) {
        if (allOn(here)) {
            try {
                write();
            } finally {
                recycle();
            }
            return;
        }
        for (PacketBatch part : byLoop()) {
            if (part.streams[0].eventLoop() == here) {
                part.write();
            } else if (waiting.isEmpty() && inFlight.tryAcquire()) {
                part.handOn(inFlight, returned);
            } else {
                waiting.add(part);
            }
        }
    }

    /**
     * Writes this batch, all of whose streams live on one event loop, in a task there; a permit of
     * {@code inFlight} must already be taken for it: the task returns it, then runs {@code returned}.
     */
    void handOn(Semaphore inFlight, Runnable returned) {
        execute(streams[0].eventLoop(), this, inFlight, returned);
    }

    private boolean allOn(EventLoop loop) {
        for (int i = 0; i < size; i++) {
            if (streams[i].eventLoop() != loop) {
                return false;
            }
        }
        return true;
    }

    /** Moves the entries into one new batch per event loop, in order of first appearance; this batch goes home empty. */
    private List<PacketBatch> byLoop() {
        List<PacketBatch> parts = new ArrayList<>(2);
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
            parts.add(part);
        }
        recycle();
        return parts;
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
        execute(loop, batch, inFlight, null);
        return true;
    }

    /**
     * Writes {@code batch} in a task on {@code loop}, which returns the permit of {@code inFlight} already
     * taken and then runs {@code returned} (if not null).
     */
    private static void execute(EventLoop loop, PacketBatch batch, Semaphore inFlight, Runnable returned) {
        try {
            loop.execute(() -> {
                try {
                    batch.write();
                } finally {
                    batch.recycle();
                    returnPermit(inFlight, returned);
                }
            });
        } catch (RejectedExecutionException e) {
            batch.drop(DropReason.NO_SESSION);
            batch.recycle();
            returnPermit(inFlight, returned);
        }
    }

    private static void returnPermit(Semaphore inFlight, Runnable returned) {
        inFlight.release();
        if (returned != null) {
            returned.run();
        }
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

    /** Releases the buffers held, uncounted (the reader stops). */
    void release() {
        for (int i = 0; i < size; i++) {
            frames[i].release();
        }
    }
}
