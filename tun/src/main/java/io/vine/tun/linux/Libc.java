package io.vine.tun.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the TUN device and rtnetlink need, bound through the Foreign Function & Memory
 * API. Every call returns the raw result; {@link #errno()} reads the errno the call left on this
 * thread (captured right after the call, so the JVM cannot overwrite it).
 */
@SuppressWarnings("restricted")
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int CLONE_NEWNET = 0x40000000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO_OPT, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPT);
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPT);
    private static final MethodHandle IOCTL_PTR = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            ERRNO_OPT, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            ERRNO_OPT, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPT);
    private static final MethodHandle IF_NAMETOINDEX = bind("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO_OPT);
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Per-thread errno capture area, reused by every call on the thread. */
    private static final ThreadLocal<MemorySegment> STATE_SEGMENT = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

    private Libc() {}

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** The errno the last call on this thread left behind. */
    static int errno() {
        return (int) ERRNO.get(STATE_SEGMENT.get(), 0L);
    }

    /** "Operation not permitted (EPERM)"-style text for an errno. */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            String text = s.equals(MemorySegment.NULL) ? "error" : s.reinterpret(256).getString(0);
            return text + " (errno " + errno + ")";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int open(MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(STATE_SEGMENT.get(), path, flags, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(STATE_SEGMENT.get(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long read(int fd, MemorySegment buf, long count) {
        try {
            return (long) READ.invokeExact(STATE_SEGMENT.get(), fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long write(int fd, MemorySegment buf, long count) {
        try {
            return (long) WRITE.invokeExact(STATE_SEGMENT.get(), fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL_PTR.invokeExact(STATE_SEGMENT.get(), fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ioctl(int fd, long request, long arg) {
        try {
            return (int) IOCTL_LONG.invokeExact(STATE_SEGMENT.get(), fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(STATE_SEGMENT.get(), fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int eventfd(int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(STATE_SEGMENT.get(), initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(STATE_SEGMENT.get(), domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long send(int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) SEND.invokeExact(STATE_SEGMENT.get(), fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long recv(int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(STATE_SEGMENT.get(), fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setns(int fd, int nstype) {
        try {
            return (int) SETNS.invokeExact(STATE_SEGMENT.get(), fd, nstype);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ifNameToIndex(MemorySegment name) {
        try {
            return (int) IF_NAMETOINDEX.invokeExact(STATE_SEGMENT.get(), name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
