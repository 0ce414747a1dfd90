package io.vine.tun.linux;

import io.vine.tun.TunDevice;
import io.vine.tun.TunException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One queue (file descriptor) of a TUN device, opened O_NONBLOCK, plus an eventfd that
 * {@link #close()} signals. A read tries read(2) first and, when nothing is queued, waits in
 * poll(2) on both descriptors, so it never spins and close wakes it at once. The descriptors are
 * released only when the last in-flight call has left, so a number is never reused under a reader.
 */
final class TunQueue {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final String name;
    private final int fd;
    private final int wakeFd;
    /** 1 for the open queue itself plus one per call in flight; the descriptors close when it reaches 0. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    TunQueue(String name, int fd, int wakeFd) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /** Per-thread native memory: a pollfd pair and a bounce buffer for heap ByteBuffers. */
    private static final class Scratch {
        final MemorySegment pollFds;
        final MemorySegment bounce;

        Scratch() {
            Arena arena = Arena.ofAuto();
            pollFds = arena.allocate(16, 4);
            bounce = arena.allocate(TunDevice.MAX_OFFLOAD_FRAME, 8);
        }
    }

    int read(ByteBuffer dst, long timeoutNanos) {
        if (!enter()) {
            return -1;
        }
        try {
            long deadline = timeoutNanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
            Scratch scratch = SCRATCH.get();
            boolean direct = dst.isDirect();
            MemorySegment target = direct ? MemorySegment.ofBuffer(dst) : scratch.bounce;
            long capacity = Math.min(dst.remaining(), target.byteSize());
            while (true) {
                if (closed.get()) {
                    return -1;
                }
                long n = Libc.read(fd, target, capacity);
                if (n > 0) {
                    if (direct) {
                        dst.position(dst.position() + (int) n);
                    } else {
                        dst.put(target.asSlice(0, n).asByteBuffer());
                    }
                    return (int) n;
                }
                int errno = n < 0 ? Libc.errno() : Libc.EAGAIN;
                if (errno == Libc.EINTR) {
                    continue;
                }
                if (errno != Libc.EAGAIN) {
                    throw new TunException(name + ": read failed: " + Libc.strerror(errno));
                }
                if (!await(scratch.pollFds, deadline)) {
                    return closed.get() ? -1 : 0;
                }
            }
        } finally {
            exit();
        }
    }

    /** Waits until the TUN fd is readable (true) or the deadline passes or close was signalled (false). */
    private boolean await(MemorySegment fds, long deadline) {
        while (true) {
            int timeoutMillis;
            if (deadline == Long.MAX_VALUE) {
                timeoutMillis = -1;
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                timeoutMillis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
            }
            fds.set(ValueLayout.JAVA_INT, 0, fd);
            fds.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
            fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            fds.set(ValueLayout.JAVA_INT, 8, wakeFd);
            fds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
            fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
            int r = Libc.poll(fds, 2, timeoutMillis);
            if (r < 0) {
                int errno = Libc.errno();
                if (errno == Libc.EINTR) {
                    continue;
                }
                throw new TunException(name + ": poll failed: " + Libc.strerror(errno));
            }
            if (r == 0) {
                continue; // re-check the deadline
            }
            if (fds.get(ValueLayout.JAVA_SHORT, 14) != 0 || closed.get()) {
                return false;
            }
            short revents = fds.get(ValueLayout.JAVA_SHORT, 6);
            if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0 && (revents & Libc.POLLIN) == 0) {
                throw new TunException(name + ": device reported an error (poll revents 0x"
                        + Integer.toHexString(revents & 0xFFFF) + "); was it deleted?");
            }
            return true;
        }
    }

    void write(ByteBuffer frame) {
        if (!enter()) {
            throw new TunException(name + ": closed");
        }
        try {
            int length = frame.remaining();
            MemorySegment source;
            if (frame.isDirect()) {
                source = MemorySegment.ofBuffer(frame);
            } else {
                source = SCRATCH.get().bounce;
                MemorySegment.copy(MemorySegment.ofBuffer(frame), 0, source, 0, length);
            }
            while (true) {
                long n = Libc.write(fd, source, length);
                if (n == length) {
                    frame.position(frame.limit());
                    return;
                }
                int errno = n < 0 ? Libc.errno() : 0;
                if (errno == Libc.EINTR) {
                    continue;
                }
                throw new TunException(name + ": write of " + length + " bytes failed: "
                        + (n < 0 ? Libc.strerror(errno) : "only " + n + " written"));
            }
        } finally {
            exit();
        }
    }

    int fd() {
        return fd;
    }

    boolean isClosed() {
        return closed.get();
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            Libc.write(wakeFd, one, 8);
        }
        exit();
    }

    private boolean enter() {
        while (true) {
            int u = users.get();
            if (u == 0 || closed.get()) {
                return false;
            }
            if (users.compareAndSet(u, u + 1)) {
                return true;
            }
        }
    }

    private void exit() {
        if (users.decrementAndGet() == 0) {
            Libc.close(fd);
            Libc.close(wakeFd);
        }
    }
}
