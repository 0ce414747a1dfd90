package io.vine.tun.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TUN queue read by a Netty epoll event loop: the loop waits for the queue's descriptor
 * (level-triggered) along with its sockets, and each time it is readable reads what the queue holds
 * without waiting, up to one batch ({@link TunReader#MAX_BATCH} frames or
 * {@link TunReader#MAX_BATCH_BYTES} bytes, so that the loop's sockets get their turn), routes it, writes
 * the packets for streams on this loop at once and hands the others to their loops
 * ({@link PacketBatch#dispatchFrom}). Everything but {@link #register} and {@link #stop} runs on the loop.
 * The descriptor stays the device's: this reader never closes it, and must be stopped before the device
 * closes it.
 */
final class EventLoopQueueReader implements EpollIoHandle {
    private static final Logger log = LoggerFactory.getLogger(EventLoopQueueReader.class);

    private final TunDevice queue;
    private final PacketPlane packets;
    private final ByteBufAllocator alloc;
    private final IoEventLoop loop;
    private final Semaphore inFlight;
    private final FileDescriptor fd;
    private final PacketBatch batch;
    private final int bufferSize;
    private IoRegistration registration;
    /** The buffer the next frame is read into; kept between reads. */
    private ByteBuf buf;

    EventLoopQueueReader(TunDevice queue, PacketPlane packets, ByteBufAllocator alloc, IoEventLoop loop, Semaphore inFlight) {
        this.queue = queue;
        this.packets = packets;
        this.alloc = alloc;
        this.loop = loop;
        this.inFlight = inFlight;
        this.fd = new FileDescriptor(queue.descriptor());
        this.batch = new PacketBatch(packets.counters(), TunReader.MAX_BATCH, null);
        this.bufferSize = PacketPlane.HEADROOM + queue.minReadBuffer();
    }

    /** From a thread other than the loop: registers with the loop and starts reading. False if the loop refused (logged). */
    boolean register(Duration timeout) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            loop.execute(() -> done.complete(registerHere()));
        } catch (RejectedExecutionException e) {
            return false; // the loop is shutting down
        }
        try {
            if (done.get(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: event loop {} did not take the queue within {}", queue.name(), loop, timeout);
            stop(timeout); // in case it still does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(timeout);
        }
        return false;
    }

    private boolean registerHere() {
        var future = loop.register(this); // complete on return: this is the loop's thread
        if (!future.isSuccess()) {
            log.warn("{}: event loop {} refused the queue", queue.name(), loop, future.cause());
            return false;
        }
        registration = future.getNow();
        try {
            registration.submit(EpollIoOps.EPOLLIN);
        } catch (RuntimeException e) {
            log.warn("{}: event loop {} cannot wait for the queue", queue.name(), loop, e);
            shutdown();
            return false;
        }
        return true;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        int frames = 0;
        boolean open = true;
        while (!batch.isFull() && batch.bytes() < TunReader.MAX_BATCH_BYTES) {
            if (buf == null) {
                buf = alloc.directBuffer(bufferSize, bufferSize);
            }
            buf.setIndex(PacketPlane.HEADROOM, PacketPlane.HEADROOM);
            int n;
            try {
                n = queue.read(buf, 0, TimeUnit.NANOSECONDS);
            } catch (TunException e) {
                log.warn("{}: read failed, reader stops", queue.name(), e);
                n = -1;
            }
            if (n < 0) {
                open = false;
                break;
            }
            if (n == 0) {
                break;
            }
            frames++;
            try {
                if (packets.route(buf, batch) == null && batch.holds(buf)) {
                    buf = null;
                }
            } catch (RuntimeException e) {
                log.warn("{}: packet dropped after an unexpected failure", queue.name(), e);
            }
        }
        if (batch.size() > 0) {
            batch.dispatchFrom(loop, inFlight);
        }
        if (open && frames == 0 && event instanceof EpollIoEvent e && e.ops().contains(EpollIoOps.EPOLLERR)) {
            log.warn("{}: the device reports an error and has nothing to read (was it deleted?); reader stops", queue.name());
            open = false;
        }
        if (!open) {
            shutdown();
        }
    }

    /** Stops reading, on the loop, and waits for that up to {@code timeout}. Idempotent. */
    void stop(Duration timeout) {
        if (loop.inEventLoop()) {
            shutdown();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                shutdown();
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            return; // the loop is shutting down and closes its handles itself
        }
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("{}: event loop {} did not stop reading the queue within {}", queue.name(), loop, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the loop: cancels the registration and releases the read buffer. Idempotent. */
    private void shutdown() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    /** Called by the loop when it shuts down with this reader still registered. */
    @Override
    public void close() {
        shutdown();
    }

    @Override
    public String toString() {
        return "EventLoopQueueReader{" + queue.name() + " on " + loop + "}";
    }
}
