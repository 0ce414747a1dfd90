package io.vine.tun.overlay;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.vine.tun.TunDevice;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
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
 * ({@link PacketBatch#dispatchFrom}).
 *
 * <p>At most {@link TunReader#MAX_IN_FLIGHT} batches wait for other loops. Beyond, the reader pauses:
 * it keeps the parts it could not hand on, stops waiting for the queue (packets wait in the kernel's
 * queue, as behind a reader thread that blocks), and resumes, handing those parts on first, once a loop
 * has written a batch and returned its permit.
 *
 * <p>Everything but {@link #register} and {@link #stop} runs on the loop. The descriptor stays the
 * device's: this reader never closes it, and must be stopped before the device closes it.
 */
final class EventLoopQueueReader implements EpollIoHandle {
    private static final Logger log = LoggerFactory.getLogger(EventLoopQueueReader.class);

    private final TunDevice queue;
    private final IoEventLoop loop;
    /** Batches of this reader handed to other loops and not yet written; its own, so that each returned permit can wake it. */
    private final Semaphore inFlight = new Semaphore(TunReader.MAX_IN_FLIGHT);
    private final FileDescriptor fd;
    private final PacketBatch batch;
    private final TunFrameReader frames;
    /** Parts of batches read that wait for a permit, oldest first; not empty only while paused. */
    private final Queue<PacketBatch> waiting = new ArrayDeque<>();
    private final Runnable permitReturned = this::permitReturned;
    private IoRegistration registration;
    /** Whether the loop waits only for errors of the queue, not for its frames (written on the loop). */
    private volatile boolean paused;

    EventLoopQueueReader(TunDevice queue, PacketPlane packets, ByteBufAllocator alloc, IoEventLoop loop) {
        this.queue = queue;
        this.loop = loop;
        this.fd = new FileDescriptor(queue.descriptor());
        this.batch = new PacketBatch(packets.counters(), TunReader.MAX_BATCH, null);
        this.frames = new TunFrameReader(queue, packets, alloc);
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
        boolean error = event instanceof EpollIoEvent e && e.ops().contains(EpollIoOps.EPOLLERR);
        if (paused) {
            if (error) {
                log.warn("{}: the device reports an error (was it deleted?); reader stops", queue.name());
                shutdown();
            }
            return;
        }
        int read = frames.fill(batch, 0, () -> true);
        boolean open = read >= 0;
        if (batch.size() > 0) {
            batch.dispatchFrom(loop, inFlight, permitReturned, waiting);
        }
        if (read == 0 && error) {
            log.warn("{}: the device reports an error and has nothing to read (was it deleted?); reader stops", queue.name());
            open = false;
        }
        if (!open) {
            shutdown();
        } else if (!waiting.isEmpty()) {
            pause();
        }
    }

    /** On the loop: stops waiting for frames until the waiting parts are handed on. */
    private void pause() {
        paused = true;
        registration.submit(EpollIoOps.EPOLLERR);
        resume(); // a permit may have come back before paused was set, and then nobody calls resume
    }

    /** On the loop: hands on the waiting parts while permits last; once all are gone, waits for frames again. */
    private void resume() {
        if (!paused || registration == null) {
            return;
        }
        while (!waiting.isEmpty()) {
            if (!inFlight.tryAcquire()) {
                return; // still paused: the next permit returned calls this again
            }
            waiting.poll().handOn(inFlight, permitReturned);
        }
        paused = false;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    /** On the loop that wrote a batch this reader handed on, after it returned the permit. */
    private void permitReturned() {
        if (paused) {
            try {
                loop.execute(this::resume);
            } catch (RejectedExecutionException e) {
                // the loop is shutting down and closes this reader
            }
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

    /** On the loop: cancels the registration and releases the read buffer and the waiting packets. Idempotent. */
    private void shutdown() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        paused = false;
        for (PacketBatch part; (part = waiting.poll()) != null; ) {
            part.release();
        }
        frames.release();
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
